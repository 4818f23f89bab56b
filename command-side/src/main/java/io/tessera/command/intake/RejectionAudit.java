package io.tessera.command.intake;

import io.tessera.command.Validation;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.events.audit.CommandRejected;
import io.tessera.infra.pii.PiiCipher;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a refused command as a {@link CommandRejected} event through Axon's event store, so it is
 * published to {@code tessera.events} and lands in the audit log like every other event: nothing is
 * published that was not stored. The event is not an aggregate's; Axon stores it as a stream of its own
 * (aggregate id = event id, sequence 0). Its id is derived from tenant and command id, so a command is
 * audited as rejected at most once however often it is redelivered or retried; the check runs under the
 * tenant's advisory lock. It joins the caller's transaction when there is one (the executor's, which also
 * keeps the idempotency record), else it runs in its own.
 */
@Component
public class RejectionAudit {

    static final int MAX_TEXT = 1000;
    /** The field name sealed ids are bound to; the query side opens them under it for the audit log. */
    public static final String SEALED_ID_FIELD = "resource_id";

    private static final Pattern ISSUED_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final PiiVault vault;
    private final TenantGate gate;

    RejectionAudit(
            EventStore eventStore,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            PiiVault vault,
            TenantGate gate) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.vault = vault;
        this.gate = gate;
    }

    /** What a refused command was: its type ({@code CreateDeployment}), resource kind and id (may be null). */
    public record Refused(String commandType, String resource, String resourceId) {}

    public void record(
            String tenantId, String actor, String commandId, Refused command, ErrorCode code, String reason) {
        if (!audited(code)) {
            return;
        }
        String eventId = eventIdOf(tenantId, commandId);
        CommandRejected rejected = new CommandRejected(
                tenantId,
                storable(commandId),
                storable(command.commandType()),
                command.resource() == null ? null : command.resource().toLowerCase(Locale.ROOT),
                storable(sealedIfTyped(tenantId, command.resourceId())),
                code.name(),
                reason == null ? null : storable(reason.replaceAll("\\p{Cntrl}", " ")));
        transactions.executeWithoutResult(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext(?))", rs -> {}, tenantId);
            Integer stored = jdbc.queryForObject(
                    "SELECT count(*) FROM command_side.domain_event_entry WHERE event_identifier = ?",
                    Integer.class,
                    eventId);
            if (stored != null && stored > 0) {
                return;
            }
            eventStore.publish(new GenericEventMessage<>(
                    eventId, rejected, CommandMetadata.of(tenantId, actor, rejected.commandId()), Instant.now()));
        });
    }

    /**
     * Which refusals are audited: the caller was authenticated and may act for the tenant, and the command
     * was refused on its merits (validation, permission, quota, conflict, not found, suspended tenant).
     * Not: no or a bad token, another tenant (the tenant is not trustworthy then, and a stranger must not
     * write into a tenant's audit), the rate limit (a flood answered before any command is read), and
     * internal failures (nothing was decided; they are logged).
     */
    static boolean audited(ErrorCode code) {
        return switch (code) {
            case VALIDATION_FAILED, FORBIDDEN, QUOTA_EXCEEDED, CONFLICT, NOT_FOUND, TENANT_SUSPENDED -> true;
            default -> false;
        };
    }

    /**
     * Ids from a refused command are the caller's text: what the read tables could not store (a NUL, an
     * unpaired surrogate) or what is too long for an id is recorded as a placeholder, not published.
     */
    static String storable(String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= MAX_TEXT && Validation.printable(value) ? value : "(not recordable)";
    }

    /**
     * A refused command's resource id is the caller's text whenever it is none Tessera issued (a UUID) and not the
     * tenant itself: it may be personal data ({@code DELETE /api/users/alice@example.com}), and the event log keeps
     * it for good. So it is sealed with the tenant's data key, which shredding destroys; an offboarded tenant's
     * keys are gone and must not be made anew, so its typed ids are not recorded at all.
     */
    /** Whether the id has the shape of the ids Tessera issues (UUIDs), as opposed to text a caller made up. */
    public static boolean isIssuedId(String id) {
        return ISSUED_ID.matcher(id).matches();
    }

    private String sealedIfTyped(String tenantId, String resourceId) {
        if (resourceId == null
                || PiiCipher.isEnvelope(resourceId)
                || resourceId.equals(tenantId)
                || isIssuedId(resourceId)) {
            return resourceId;
        }
        if (gate.isOffboarded(tenantId)) {
            return null;
        }
        return vault.seal(tenantId, SEALED_ID_FIELD, resourceId);
    }

    static String eventIdOf(String tenantId, String commandId) {
        return UUID.nameUUIDFromBytes(
                        ("tessera.command.rejected:" + tenantId + ":" + commandId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
