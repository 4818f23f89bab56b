package io.tessera.command.intake;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Unavailability;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one command: in one transaction, the tenant's advisory lock first (one writer per tenant: exact
 * quotas, per-tenant positions in commit order), then the earlier answer for the idempotency key if there
 * is one, else the tenant's lifecycle ({@link TenantGate}: a suspended tenant's commands are refused), else
 * the command through Axon (joining this transaction), its position and its answer.
 */
@Component
public class CommandExecutor {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);
    private static final int MAX_RESOURCE_ID = 255;
    private static final String KEY_REUSED =
            "This idempotency key was first used with another request; use a new key for a new request";

    private final CommandGateway commandGateway;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TenantGate gate;
    private final RejectionAudit rejections;
    private final CommandMetrics metrics;

    CommandExecutor(
            CommandGateway commandGateway,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            TenantGate gate,
            RejectionAudit rejections,
            CommandMetrics metrics) {
        this.commandGateway = commandGateway;
        this.jdbc = jdbc;
        this.gate = gate;
        this.rejections = rejections;
        this.metrics = metrics;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public CommandOutcome execute(CommandRequest request) {
        return execute(request, "http");
    }

    /** Runs the command with its tenant and command id in the MDC, and counts its answer. */
    CommandOutcome execute(CommandRequest request, String channel) {
        try (MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", request.tenantId());
                MDC.MDCCloseable command = MDC.putCloseable("command_id", request.commandId())) {
            CommandOutcome outcome = run(request);
            metrics.answered(request, outcome, channel);
            if (log.isDebugEnabled()) {
                log.debug(
                        "Command {} {} {}",
                        request.command().getClass().getSimpleName(),
                        outcome.accepted() ? "accepted" : "rejected",
                        outcome.accepted() ? "at position " + outcome.position() : outcome.code());
            }
            return outcome;
        }
    }

    private CommandOutcome run(CommandRequest request) {
        if (!canName(request.resourceId())) {
            // Stored nowhere, so no transaction: an id no aggregate can have names none, as an unknown id would.
            return CommandOutcome.rejected(request, ErrorCode.NOT_FOUND, request.resource() + " not found", null);
        }
        Run run = transactions.execute(status -> {
            lockTenant(request.tenantId());
            Optional<CommandOutcome> earlier = earlierAnswer(request);
            if (earlier.isPresent()) {
                return new Run(earlier.get(), false);
            }
            Optional<CommandOutcome> refused = gate.refusal(request);
            Run result = refused.isPresent() ? new Run(refused.get(), false) : dispatch(request, status);
            if (!result.rolledBack()) {
                remember(request, result.outcome());
                audit(request, result.outcome());
            }
            return result;
        });
        // A decided refusal is remembered; a failure that decided nothing (internal, the database away) is not, so
        // that a retry with the same key runs the command again.
        if (run.rolledBack()
                && run.outcome().code() != ErrorCode.INTERNAL
                && run.outcome().code() != ErrorCode.UNAVAILABLE) {
            return transactions.execute(status -> {
                lockTenant(request.tenantId());
                return earlierAnswer(request).orElseGet(() -> {
                    remember(request, run.outcome());
                    audit(request, run.outcome());
                    return run.outcome();
                });
            });
        }
        return run.outcome();
    }

    /**
     * Audits a command refused before it could run (a missing role, a payload that is no command), in its
     * own transaction; see {@link RejectionAudit} for which refusals count.
     */
    public void auditRefusal(
            String tenantId,
            String actor,
            String commandId,
            RejectionAudit.Refused command,
            ErrorCode code,
            String reason) {
        rejections.record(tenantId, actor, commandId, command, code, reason);
    }

    /** A rejection is audited with the idempotency record, in the same transaction: once per answer. */
    private void audit(CommandRequest request, CommandOutcome outcome) {
        if (outcome.accepted()) {
            return;
        }
        rejections.record(
                request.tenantId(),
                request.actor(),
                request.commandId(),
                new RejectionAudit.Refused(
                        request.command().getClass().getSimpleName(), request.resource(), request.resourceId()),
                outcome.code(),
                outcome.message());
    }

    private record Run(CommandOutcome outcome, boolean rolledBack) {}

    private Run dispatch(CommandRequest request, TransactionStatus status) {
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(request.command())
                .andMetaData(CommandMetadata.of(request.tenantId(), request.actor(), request.commandId()))
                .andMetaData(request.metadata());
        try {
            commandGateway.send(message).get();
            return new Run(CommandOutcome.accepted(request, positionOf(request.resourceId())), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.setRollbackOnly();
            return new Run(internal(request, e), true);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof CommandRejectedException rejection) {
                return new Run(
                        CommandOutcome.rejected(
                                request, rejection.code(), rejection.getMessage(), rejection.retryAfter()),
                        false);
            }
            status.setRollbackOnly();
            return new Run(failure(request, cause), true);
        }
    }

    private CommandOutcome failure(CommandRequest request, Throwable cause) {
        if (cause instanceof AggregateNotFoundException) {
            return CommandOutcome.rejected(request, ErrorCode.NOT_FOUND, request.resource() + " not found", null);
        }
        if (cause instanceof AggregateStreamCreationException) {
            return CommandOutcome.rejected(request, ErrorCode.CONFLICT, request.resource() + " already exists", null);
        }
        if (cause instanceof ConcurrencyException
                || (cause instanceof EventStoreException && cause.getCause() instanceof ConcurrencyException)) {
            return CommandOutcome.rejected(
                    request, ErrorCode.CONFLICT, request.resource() + " was changed concurrently", null);
        }
        if (Unavailability.isDatabaseUnavailable(cause)) {
            log.warn(
                    "Command {} ({}) met an unavailable database for tenant_id={}: {}",
                    request.commandId(),
                    request.command().getClass().getSimpleName(),
                    request.tenantId(),
                    cause.toString());
            return CommandOutcome.rejected(
                    request, ErrorCode.UNAVAILABLE, Unavailability.MESSAGE, Unavailability.RETRY_AFTER);
        }
        return internal(request, cause);
    }

    private CommandOutcome internal(CommandRequest request, Throwable cause) {
        log.error(
                "Command {} ({}) failed for tenant_id={}",
                request.commandId(),
                request.command().getClass().getSimpleName(),
                request.tenantId(),
                cause);
        return CommandOutcome.rejected(request, ErrorCode.INTERNAL, "Internal error", null);
    }

    /**
     * Waits for the tenant's lock at most {@code tessera.command.lock-timeout}, and bounds every later statement of
     * the transaction by {@code tessera.command.statement-timeout}; the pool's init SQL keeps both in the session
     * ({@code tessera.command_lock_timeout}, {@code tessera.command_statement_timeout}). A holder frozen mid-command
     * (until PostgreSQL ends its idle session) or a statement that hangs costs a 503 UNAVAILABLE (55P03, 57014: not
     * remembered), not a thread held; and no wait keeps its events' global index open for long. The tenant, set for
     * the transaction too, is the one row-level security shows (command_log, tenant_status, auth_*).
     */
    private void lockTenant(String tenantId) {
        jdbc.query("""
                SELECT pg_advisory_xact_lock(hashtext(?)) FROM (SELECT
                    set_config('lock_timeout', coalesce(current_setting('tessera.command_lock_timeout', true), '0'), true),
                    set_config('statement_timeout',
                        coalesce(current_setting('tessera.command_statement_timeout', true), '0'), true),
                    set_config('tessera.tenant_id', ?, true)) bound
                """, rs -> {}, tenantId, tenantId);
    }

    /** An id an aggregate can have: what the event store's and the command log's columns hold. */
    private static boolean canName(String resourceId) {
        return resourceId != null
                && !resourceId.isEmpty()
                && resourceId.length() <= MAX_RESOURCE_ID
                && Validation.printable(resourceId);
    }

    private Long positionOf(String aggregateId) {
        return jdbc.queryForObject(
                "SELECT max(global_index) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class,
                aggregateId);
    }

    /**
     * The answer remembered for the request's key, if any: its own first answer when the key came with the same
     * request, else a refusal that says the key is taken. Rows written before keys were bound to their request
     * (no caller, no digest) answer any request of the tenant with that key, as they did then.
     */
    private Optional<CommandOutcome> earlierAnswer(CommandRequest request) {
        IdempotencyKey key = request.idempotencyKey();
        if (key == null) {
            return Optional.empty();
        }
        List<CommandOutcome> rows = jdbc.query(
                """
                SELECT command_id, accepted, resource_id, position, error_code, error_message, retry_after_seconds,
                       request_digest
                FROM command_side.command_log WHERE tenant_id = ? AND key = ? AND caller IN (?, '')
                ORDER BY caller DESC LIMIT 1
                """,
                (rs, n) -> {
                    String digest = rs.getString("request_digest");
                    if (digest != null && !digest.equals(key.requestDigest())) {
                        return CommandOutcome.rejected(request, ErrorCode.IDEMPOTENCY_KEY_REUSED, KEY_REUSED, null);
                    }
                    long retryAfter = rs.getLong("retry_after_seconds");
                    boolean noRetryAfter = rs.wasNull();
                    long position = rs.getLong("position");
                    boolean noPosition = rs.wasNull();
                    String code = rs.getString("error_code");
                    return new CommandOutcome(
                            rs.getString("command_id"),
                            request.tenantId(),
                            rs.getBoolean("accepted"),
                            rs.getString("resource_id"),
                            noPosition ? null : position,
                            code == null ? null : ErrorCode.valueOf(code),
                            rs.getString("error_message"),
                            noRetryAfter ? null : Duration.ofSeconds(retryAfter));
                },
                request.tenantId(),
                key.value(),
                key.caller());
        return rows.stream().findFirst();
    }

    private void remember(CommandRequest request, CommandOutcome outcome) {
        IdempotencyKey key = request.idempotencyKey();
        if (key == null) {
            return;
        }
        jdbc.update(
                """
                INSERT INTO command_side.command_log
                    (tenant_id, caller, key, request_digest, command_id, accepted, resource_id, position, error_code,
                     error_message, retry_after_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, caller, key) DO NOTHING
                """,
                request.tenantId(),
                key.caller(),
                key.value(),
                key.requestDigest(),
                outcome.commandId(),
                outcome.accepted(),
                outcome.id(),
                outcome.position(),
                outcome.code() == null ? null : outcome.code().name(),
                outcome.message(),
                outcome.retryAfter() == null
                        ? null
                        : Math.max(1, outcome.retryAfter().toSeconds()));
    }
}
