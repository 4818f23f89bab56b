package io.tessera.command.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.infra.pii.PiiVault;
import java.util.Locale;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A user of a tenant. Its id follows from tenant and e-mail (a keyed pseudonym, see {@link #idFor}), so a
 * second creation of the same address meets the first one's stream and is refused as a conflict by the
 * event store. The e-mail is stored sealed with the tenant's data key, never in clear.
 */
public class User {

    public static final String RESOURCE = "User";
    /** The field name bound into the e-mail's envelope; the query side opens it under the same name. */
    public static final String EMAIL = "email";

    @AggregateIdentifier
    private String userId;

    private String tenantId;
    private boolean deleted;

    User() {}

    @CommandHandler
    User(CreateUser command, PiiVault vault) throws CommandRejectedException {
        Validation.require(
                Validation.email("email", command.email()), command.role() == null ? "role: required" : null);
        if (!idFor(command.tenantId(), command.email(), vault).equals(command.userId())) {
            throw CommandRejectedException.invalid("user_id: must be derived from tenant and email");
        }
        String email = command.email().toLowerCase(Locale.ROOT);
        apply(new UserCreated(
                command.tenantId(), command.userId(), vault.seal(command.tenantId(), EMAIL, email), command.role()));
    }

    /**
     * The user id of an address within a tenant: keyed by the tenant's data key, so that after the key is
     * shredded nobody can tell from an id in the event store, Kafka or a read table whose address it was.
     * A new key (after shredding) gives the same address a new id.
     */
    public static String idFor(String tenantId, String email, PiiVault vault) {
        return vault.pseudonym(tenantId, "user", email.trim().toLowerCase(Locale.ROOT))
                .toString();
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
