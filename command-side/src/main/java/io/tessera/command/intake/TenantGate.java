package io.tessera.command.intake;

import io.tessera.command.axon.InTransactionEventHandler;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.infra.web.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refuses the commands of a suspended or offboarded tenant before they reach an aggregate. The status is
 * the {@code tenant_status} table, kept by the handlers below in the transaction that stores the
 * lifecycle event, and read under the tenant's advisory lock, which that transaction held too: the
 * check always sees the latest lifecycle event, at the cost of one primary-key lookup per transaction. The
 * {@code Tenant} aggregate keeps the rule for creations itself; this gate also covers the updates and
 * deletes that go to deployments, workflows and users. Tenant administration is decided by the aggregate.
 */
@Component
public class TenantGate implements InTransactionEventHandler {

    static final String SUSPENDED = "suspended";
    static final String OFFBOARDED = "offboarded";
    public static final String OFFBOARDED_MESSAGE = "The tenant is offboarded; it accepts no commands";

    private final JdbcTemplate jdbc;
    private final ObjectProvider<OffboardedTenantTokens> tokens;
    private final TransactionTemplate transactions;

    TenantGate(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            ObjectProvider<OffboardedTenantTokens> tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Whether the tenant is offboarded; for callers outside the command flow (client registration), in a
     * transaction of its own with the tenant set, which row-level security on tenant_status needs.
     */
    public boolean isOffboarded(String tenantId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.query("SELECT set_config('tessera.tenant_id', ?, true)", rs -> {}, tenantId);
            return status(tenantId).filter(OFFBOARDED::equals).isPresent();
        }));
    }

    Optional<CommandOutcome> refusal(CommandRequest request) {
        if (request.command() instanceof TenantAdministration) {
            return Optional.empty();
        }
        return status(request.tenantId()).flatMap(status -> switch (status) {
            case SUSPENDED ->
                Optional.of(CommandOutcome.rejected(
                        request,
                        ErrorCode.TENANT_SUSPENDED,
                        "The tenant is suspended; its commands are refused until it is reactivated",
                        null));
            case OFFBOARDED ->
                Optional.of(CommandOutcome.rejected(request, ErrorCode.TENANT_SUSPENDED, OFFBOARDED_MESSAGE, null));
            default -> Optional.empty();
        });
    }

    /**
     * Read once a transaction: under the tenant's lock only this transaction's lifecycle events change it, and
     * {@link #record} keeps the transaction's copy with them (a batch of commands asks once, not once each).
     */
    private Optional<String> status(String tenantId) {
        Map<String, Optional<String>> known = statusesOfThisTransaction();
        Optional<String> status = known == null ? null : known.get(tenantId);
        if (status == null) {
            status = jdbc
                    .queryForList(
                            "SELECT status FROM command_side.tenant_status WHERE tenant_id = ?", String.class, tenantId)
                    .stream()
                    .findFirst();
            if (known != null) {
                known.put(tenantId, status);
            }
        }
        return status;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Optional<String>> statusesOfThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, Optional<String>> known =
                (Map<String, Optional<String>>) TransactionSynchronizationManager.getResource(this);
        if (known == null) {
            Map<String, Optional<String>> bound = new HashMap<>();
            TransactionSynchronizationManager.bindResource(this, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TenantGate.this);
                }
            });
            known = bound;
        }
        return known;
    }

    @EventHandler
    void on(TenantSuspended event) {
        record(event.tenantId(), SUSPENDED);
    }

    @EventHandler
    void on(TenantReactivated event) {
        record(event.tenantId(), "active");
    }

    @EventHandler
    void on(TenantOffboarded event) {
        record(event.tenantId(), OFFBOARDED);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    tokens.getObject().offboarded(event.tenantId());
                }
            });
        }
    }

    private void record(String tenantId, String status) {
        Map<String, Optional<String>> known = statusesOfThisTransaction();
        if (known != null) {
            known.put(tenantId, Optional.of(status));
        }
        jdbc.update("""
                INSERT INTO command_side.tenant_status (tenant_id, status, changed_at) VALUES (?, ?, now())
                ON CONFLICT (tenant_id) DO UPDATE SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
                """, tenantId, status);
    }
}
