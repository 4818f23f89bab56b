package io.tessera.command.intake;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.command.axon.AppendedPositions;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Unavailability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs commands: in one transaction, the tenant's advisory lock first (one writer per tenant: exact quotas,
 * per-tenant positions in commit order), then for each command the earlier answer for the idempotency key if
 * there is one, else the tenant's lifecycle ({@link TenantGate}: a suspended tenant's commands are refused),
 * else the command through Axon (joining this transaction), its position and its answer. Commands of a tenant
 * that arrive together share that transaction ({@link TenantBatches}); each is answered after its commit.
 */
@Component
public class CommandExecutor {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);
    private static final int MAX_RESOURCE_ID = 255;
    /**
     * How long a batch takes on more commands: its first events hold their global indexes open until it commits,
     * and the publisher gives up on a gap after 60 s; each statement is bounded too (statement-timeout).
     */
    private static final Duration MAX_BATCH_DECIDING = Duration.ofSeconds(1);

    private static final String KEY_REUSED =
            "This idempotency key was first used with another request; use a new key for a new request";

    private final CommandGateway commandGateway;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TenantGate gate;
    private final RejectionAudit rejections;
    private final CommandMetrics metrics;
    private final TenantBatches batches;

    CommandExecutor(
            CommandGateway commandGateway,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            TenantGate gate,
            RejectionAudit rejections,
            CommandMetrics metrics,
            @Value("${tessera.command.max-batch:50}") int maxBatch) {
        this.batches = new TenantBatches(maxBatch);
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
        return batches.submit(request, this::runBatch);
    }

    /**
     * Commands of one tenant that arrived together: one transaction, the lock once, each command decided in turn.
     * A command that must roll back (a failure that decided nothing, or one whose refusal Axon rolled back) would
     * take its neighbours with it, so then the batch is undone and each of its commands runs alone; so does a
     * failure of one command's statements. A database that is away fails the batch as it would fail each command.
     */
    private void runBatch(List<TenantBatches.Member> batch) {
        if (batch.size() > 1) {
            try {
                List<CommandOutcome> outcomes = transactions.execute(status -> {
                    lockTenant(batch.get(0).request().tenantId());
                    List<CommandRequest> requests =
                            batch.stream().map(TenantBatches.Member::request).toList();
                    List<CommandOutcome> decided = new ArrayList<>(batch.size());
                    Unwritten unwritten = new Unwritten();
                    long deadline = System.nanoTime() + MAX_BATCH_DECIDING.toNanos();
                    for (TenantBatches.Member member : batch) {
                        if (!decided.isEmpty() && System.nanoTime() > deadline) {
                            break; // The rest run alone after this commit: a batch's events wait for it.
                        }
                        CommandRequest request = member.request();
                        if (unwritten.touches(request)) {
                            unwritten.write(requests, decided);
                        }
                        Run run = member.inCallersContext(() -> decide(request, status));
                        if (run.rolledBack()) {
                            throw new BatchUndone();
                        }
                        decided.add(run.outcome());
                        if (!run.stored()) {
                            unwritten.add(decided.size() - 1, request);
                        }
                    }
                    unwritten.write(requests, decided);
                    return decided;
                });
                for (int i = 0; i < outcomes.size(); i++) {
                    batch.get(i).answer(outcomes.get(i));
                }
                runEachAlone(batch.subList(outcomes.size(), batch.size()));
                return;
            } catch (BatchUndone e) {
                log.debug("A batch of {} commands is run again one by one: one of them rolls back", batch.size());
            } catch (RuntimeException e) {
                if (Unavailability.isDatabaseUnavailable(e)) {
                    throw e;
                }
                log.debug("A batch of {} commands is run again one by one after {}", batch.size(), e.toString());
            }
        }
        runEachAlone(batch);
    }

    private void runEachAlone(List<TenantBatches.Member> members) {
        for (TenantBatches.Member member : members) {
            try {
                member.answer(member.inCallersContext(() -> runAlone(member.request())));
            } catch (RuntimeException e) {
                member.fail(e);
            }
        }
    }

    private CommandOutcome runAlone(CommandRequest request) {
        Run run = transactions.execute(status -> {
            lockTenant(request.tenantId());
            Run decided = decide(request, status);
            if (decided.rolledBack() || decided.stored()) {
                return decided;
            }
            CommandOutcome answer = decided.outcome().accepted()
                    ? decided.outcome().at(positionOf(request.resourceId()))
                    : decided.outcome();
            remember(List.of(request), List.of(answer));
            return new Run(answer, false, true);
        });
        // A decided refusal is remembered; a failure that decided nothing (internal, the database away) is not, so
        // that a retry with the same key runs the command again.
        if (run.rolledBack()
                && run.outcome().code() != ErrorCode.INTERNAL
                && run.outcome().code() != ErrorCode.UNAVAILABLE) {
            return transactions.execute(status -> {
                lockTenant(request.tenantId());
                return earlierAnswer(request).orElseGet(() -> {
                    remember(List.of(request), List.of(run.outcome()));
                    audit(request, run.outcome());
                    return run.outcome();
                });
            });
        }
        return run.outcome();
    }

    /**
     * Inside the tenant's transaction, its lock held: the earlier answer for the key (stored already), else the
     * command's own, a refusal audited, an acceptance still without its position; the caller remembers it.
     */
    private Run decide(CommandRequest request, TransactionStatus status) {
        Optional<CommandOutcome> earlier = earlierAnswer(request);
        if (earlier.isPresent()) {
            return new Run(earlier.get(), false, true);
        }
        Optional<CommandOutcome> refused = gate.refusal(request);
        Run result = refused.isPresent() ? new Run(refused.get(), false, false) : dispatch(request, status);
        if (!result.rolledBack()) {
            audit(request, result.outcome());
        }
        return result;
    }

    /**
     * The answers of a batch not yet complete: acceptances without their position, answers not yet remembered.
     * Written together, in one statement each; at once when a later command of the batch names the same resource
     * (its position must not be read as the earlier's) or the same key (it must find the earlier answer).
     */
    private final class Unwritten {

        private final List<Integer> indexes = new ArrayList<>();
        private final Set<String> resources = new HashSet<>();
        private final Set<List<String>> keys = new HashSet<>();

        boolean touches(CommandRequest request) {
            IdempotencyKey key = request.idempotencyKey();
            return resources.contains(request.resourceId())
                    || (key != null && keys.contains(List.of(key.caller(), key.value())));
        }

        void add(int index, CommandRequest request) {
            indexes.add(index);
            resources.add(request.resourceId());
            IdempotencyKey key = request.idempotencyKey();
            if (key != null) {
                keys.add(List.of(key.caller(), key.value()));
            }
        }

        void write(List<CommandRequest> requests, List<CommandOutcome> outcomes) {
            if (indexes.isEmpty()) {
                return;
            }
            Map<String, Long> positions = positionsOf(indexes.stream()
                    .filter(i -> outcomes.get(i).accepted())
                    .map(i -> requests.get(i).resourceId())
                    .toList());
            List<CommandRequest> written = new ArrayList<>(indexes.size());
            List<CommandOutcome> answers = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                CommandOutcome outcome = outcomes.get(i);
                if (outcome.accepted()) {
                    outcome = outcome.at(positions.get(requests.get(i).resourceId()));
                    outcomes.set(i, outcome);
                }
                written.add(requests.get(i));
                answers.add(outcome);
            }
            remember(written, answers);
            indexes.clear();
            resources.clear();
            keys.clear();
        }
    }

    /** Undoes a batch's transaction so that its commands run again one by one. */
    private static final class BatchUndone extends RuntimeException {
        BatchUndone() {
            super(null, null, false, false);
        }
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

    /** {@code stored}: the answer is the key's earlier one, remembered already. */
    private record Run(CommandOutcome outcome, boolean rolledBack, boolean stored) {}

    private Run dispatch(CommandRequest request, TransactionStatus status) {
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(request.command())
                .andMetaData(CommandMetadata.of(request.tenantId(), request.actor(), request.commandId()))
                .andMetaData(request.metadata());
        try {
            commandGateway.send(message).get();
            return new Run(CommandOutcome.accepted(request, null), false, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.setRollbackOnly();
            return new Run(internal(request, e), true, false);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof CommandRejectedException rejection) {
                return new Run(
                        CommandOutcome.rejected(
                                request, rejection.code(), rejection.getMessage(), rejection.retryAfter()),
                        false,
                        false);
            }
            status.setRollbackOnly();
            return new Run(failure(request, cause), true, false);
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

    /**
     * The last global position of each aggregate: as this transaction's append returned it, else (an acceptance
     * that appended nothing) from the store, the rest in one statement.
     */
    private Map<String, Long> positionsOf(List<String> aggregateIds) {
        Map<String, Long> positions = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String aggregateId : aggregateIds) {
            AppendedPositions.lastOf(aggregateId)
                    .ifPresentOrElse(position -> positions.put(aggregateId, position), () -> unknown.add(aggregateId));
        }
        if (unknown.isEmpty()) {
            return positions;
        }
        jdbc.query(
                """
                SELECT aggregate_identifier, max(global_index) FROM command_side.domain_event_entry
                WHERE aggregate_identifier = ANY(?) GROUP BY aggregate_identifier
                """,
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("text", unknown.toArray())),
                (RowCallbackHandler) rs -> positions.put(rs.getString(1), rs.getLong(2)));
        return positions;
    }

    private Long positionOf(String aggregateId) {
        OptionalLong appended = AppendedPositions.lastOf(aggregateId);
        if (appended.isPresent()) {
            return appended.getAsLong();
        }
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

    /** The answers of keyed requests, in one statement; a request without a key is remembered nowhere. */
    private void remember(List<CommandRequest> requests, List<CommandOutcome> outcomes) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            IdempotencyKey key = requests.get(i).idempotencyKey();
            CommandOutcome outcome = outcomes.get(i);
            if (key == null) {
                continue;
            }
            rows.add(new Object[] {
                requests.get(i).tenantId(),
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
                        : Math.max(1, outcome.retryAfter().toSeconds())
            });
        }
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO command_side.command_log
                    (tenant_id, caller, key, request_digest, command_id, accepted, resource_id, position, error_code,
                     error_message, retry_after_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, caller, key) DO NOTHING
                """, rows);
    }
}
