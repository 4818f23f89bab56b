package io.tessera.command.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.events.user.CreateUser;
import io.tessera.events.user.DeleteUser;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A user of a tenant. Its id follows from tenant and e-mail, so a second creation of the same address
 * meets the first one's stream and is refused as a conflict by the event store.
 */
public class User {

    public static final String RESOURCE = "User";

    @AggregateIdentifier
    private String userId;

    private String tenantId;
    private boolean deleted;

    User() {}

    @CommandHandler
    User(CreateUser command) throws CommandRejectedException {
        Validation.require(
                Validation.email("email", command.email()), command.role() == null ? "role: required" : null);
        if (!idFor(command.tenantId(), command.email()).equals(command.userId())) {
            throw CommandRejectedException.invalid("user_id: must be derived from tenant and email");
        }
        apply(new UserCreated(
                command.tenantId(), command.userId(), command.email().toLowerCase(Locale.ROOT), command.role()));
    }

    public static String idFor(String tenantId, String email) {
        String key = tenantId + "\n" + email.trim().toLowerCase(Locale.ROOT);
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @CommandHandler
    void handle(DeleteUser command) throws CommandRejectedException {
        if (deleted || !Validation.sameTenant(tenantId, command.tenantId())) {
            throw CommandRejectedException.notFound(RESOURCE);
        }
        apply(new UserDeleted(tenantId, userId));
    }

    @EventSourcingHandler
    void on(UserCreated event) {
        userId = event.userId();
        tenantId = event.tenantId();
    }

    @EventSourcingHandler
    void on(UserDeleted event) {
        deleted = true;
    }
}
