package io.tessera.infra.pii;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tenants' data keys in {@code tessera_keys.tenant_data_key}, wrapped by the master key, one row per
 * tenant and version. A key is created the first time a tenant seals a value; shredding clears every
 * wrapped key of the tenant and keeps the rows (version numbers are never reused). Statements join the
 * caller's transaction, if any: the command side creates and shreds keys in the transaction of the command
 * (which holds the tenant's advisory lock), and a key is remembered only once that transaction committed.
 * Keys are remembered for a short time ({@code tessera.pii.key-cache-ttl}), a shredded key forgotten at once
 * in this process and within that time in every other one (the query side also forgets on the event).
 */
public class DataKeys implements KeySource {

    static final String TABLE = "tessera_keys.tenant_data_key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransactions;
    private final MasterKey master;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentMap<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Optional<DataKey> key, Instant until) {}

    private record Row(int version, byte[] wrapped, String masterKeyId) {}

    public DataKeys(JdbcTemplate jdbc, MasterKey master, Duration ttl, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.master = master;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Which version is current is read every time (one index lookup): another instance may have shredded it
     * a moment ago, and a value sealed with a destroyed key would be lost at once. The key itself comes from
     * memory when it can.
     */
    @Override
    public DataKey current(String tenantId) {
        Integer live = inTenant(
                tenantId,
                () -> jdbc.queryForList(
                                "SELECT max(version) FROM " + TABLE
                                        + " WHERE tenant_id = ? AND wrapped_key IS NOT NULL",
                                Integer.class,
                                tenantId)
                        .get(0));
        if (live == null) {
            DataKey created = inTenant(tenantId, () -> create(tenantId));
            remember(versionSlot(tenantId, created.version()), Optional.of(created));
            return created;
        }
        return find(tenantId, live)
                .orElseThrow(() -> new IllegalStateException("The current data key was shredded meanwhile"));
    }

    @Override
    public Optional<DataKey> find(String tenantId, int version) {
        String slot = versionSlot(tenantId, version);
        Optional<DataKey> known = recall(slot);
        if (known != null) {
            return known;
        }
        Optional<DataKey> key = inTenant(
                        tenantId,
                        () -> jdbc
                                .query(
                                        "SELECT version, wrapped_key, master_key_id FROM " + TABLE
                                                + " WHERE tenant_id = ? AND version = ?",
                                        DataKeys::row,
                                        tenantId,
                                        version)
                                .stream()
                                .findFirst())
                .filter(row -> row.wrapped() != null)
                .map(row -> unwrap(tenantId, row));
        remember(slot, key);
        return key;
    }

    /** Destroys every version of the tenant's key, in the caller's transaction: irreversible once committed. */
    public int shred(String tenantId) {
        int destroyed = inTenant(
                tenantId,
                () -> jdbc.update(
                        "UPDATE " + TABLE + " SET wrapped_key = NULL, destroyed_at = now()"
                                + " WHERE tenant_id = ? AND wrapped_key IS NOT NULL",
                        tenantId));
        forget(tenantId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget(tenantId);
                }
            });
        }
        return destroyed;
    }

    @Override
    public void forget(String tenantId) {
        remembered.keySet().removeIf(slot -> slot.startsWith(tenantId + "\n"));
    }

    /**
     * Runs the statements with the tenant set for row-level security: in the caller's transaction if there is one
     * (the command's, already of that tenant; a different tenant set there is put back after), else in one of its
     * own.
     */
    private <T> T inTenant(String tenantId, Supplier<T> statements) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return ownTransactions.execute(status -> {
                setTenant(tenantId);
                return statements.get();
            });
        }
        String previous = setTenant(tenantId);
        try {
            return statements.get();
        } finally {
            if (previous != null && !previous.isEmpty() && !previous.equals(tenantId)) {
                setTenant(previous);
            }
        }
    }

    /** The tenant set before, if any. */
    private String setTenant(String tenantId) {
        return jdbc.queryForObject(
                "SELECT current_setting('tessera.tenant_id', true) AS previous,"
                        + " set_config('tessera.tenant_id', ?, true) AS now",
                (rs, n) -> rs.getString("previous"),
                tenantId);
    }

    private Optional<DataKey> loadCurrent(String tenantId) {
        return jdbc
                .query(
                        "SELECT version, wrapped_key, master_key_id FROM " + TABLE
                                + " WHERE tenant_id = ? AND wrapped_key IS NOT NULL ORDER BY version DESC LIMIT 1",
                        DataKeys::row,
                        tenantId)
                .stream()
                .findFirst()
                .map(row -> unwrap(tenantId, row));
    }

    /** A new version above every earlier one, shredded ones included; a concurrent creator's row wins. */
    private DataKey create(String tenantId) {
        Integer highest = jdbc.queryForObject(
                "SELECT COALESCE(MAX(version), 0) FROM " + TABLE + " WHERE tenant_id = ?", Integer.class, tenantId);
        int version = (highest == null ? 0 : highest) + 1;
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        jdbc.update(
                "INSERT INTO " + TABLE + " (tenant_id, version, wrapped_key, master_key_id) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, version) DO NOTHING",
                tenantId,
                version,
                master.wrap(tenantId, version, bytes),
                master.id());
        return loadCurrent(tenantId)
                .orElseThrow(() -> new IllegalStateException("The data key just created is gone: shredded meanwhile"));
    }

    private DataKey unwrap(String tenantId, Row row) {
        if (!master.id().equals(row.masterKeyId())) {
            throw new UnreadablePiiException("A data key is wrapped by master key " + row.masterKeyId()
                    + ", but the configured master key is " + master.id() + ": is " + MasterKey.VARIABLE
                    + " the one this database was set up with?");
        }
        return new DataKey(
                tenantId,
                row.version(),
                new SecretKeySpec(master.unwrap(tenantId, row.version(), row.wrapped()), "AES"));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getInt("version"), rs.getBytes("wrapped_key"), rs.getString("master_key_id"));
    }

    /** null: nothing remembered; an empty Optional: remembered as shredded or absent. */
    private Optional<DataKey> recall(String slot) {
        Remembered r = remembered.get(slot);
        if (r == null) {
            return null;
        }
        if (!clock.instant().isBefore(r.until())) {
            remembered.remove(slot, r);
            return null;
        }
        return r.key();
    }

    private void remember(String slot, Optional<DataKey> key) {
        Runnable put =
                () -> remembered.put(slot, new Remembered(key, clock.instant().plus(ttl)));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    put.run();
                }
            });
        } else {
            put.run();
        }
    }

    private static String versionSlot(String tenantId, int version) {
        return tenantId + "\n" + version;
    }
}
