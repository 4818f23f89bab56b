package io.tessera.infra.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.runtime.LocalInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** Data keys on the real PostgreSQL: created once, wrapped at rest, shared by instances, shredded for good. */
class DataKeysIT {

    private static DataSource dataSource;
    private static JdbcTemplate jdbc;
    private static final MasterKey MASTER = MasterKey.fromBase64(MasterKey.generateBase64());

    @BeforeAll
    static void migrate() {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        dataSource = new DriverManagerDataSource(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword());
        PiiAutoConfiguration.migrateKeySchema(dataSource);
        PiiAutoConfiguration.migrateKeySchema(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    private static DataKeys instance(MasterKey master) {
        return new DataKeys(jdbc, master, Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Test
    void aKeyIsCreatedOnFirstNeedStoredWrappedAndSharedByInstances() {
        String tenant = "t-" + UUID.randomUUID();
        DataKeys first = instance(MASTER);
        DataKeys second = instance(MASTER);

        DataKey key = first.current(tenant);
        assertThat(first.current(tenant)).isEqualTo(key);
        assertThat(second.current(tenant).key().getEncoded())
                .isEqualTo(key.key().getEncoded());
        assertThat(second.find(tenant, 1).orElseThrow().key().getEncoded())
                .isEqualTo(key.key().getEncoded());

        byte[] stored = jdbc.queryForObject(
                "SELECT wrapped_key FROM tessera_keys.tenant_data_key WHERE tenant_id = ?", byte[].class, tenant);
        assertThat(stored).isNotEqualTo(key.key().getEncoded()).hasSizeGreaterThan(32);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM tessera_keys.tenant_data_key WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(1);
    }

    @Test
    void shreddingDestroysEveryVersionForEveryInstanceAndANewKeyGetsTheNextVersion() {
        String tenant = "t-" + UUID.randomUUID();
        String other = "t-" + UUID.randomUUID();
        DataKeys writer = instance(MASTER);
        DataKeys reader = instance(MASTER);
        PiiVault vault = new PiiVault(writer);
        String sealed = vault.seal(tenant, "email", "ann@acme.example");
        String othersSealed = vault.seal(other, "email", "bob@globex.example");
        assertThat(new PiiVault(reader).reveal(tenant, "email", sealed)).isEqualTo("ann@acme.example");

        new TransactionTemplate(new DataSourceTransactionManager(dataSource))
                .executeWithoutResult(status -> assertThat(writer.shred(tenant)).isEqualTo(1));
        reader.forget(tenant);

        assertThat(new PiiVault(reader).reveal(tenant, "email", sealed)).isNull();
        assertThat(new PiiVault(instance(MASTER)).reveal(tenant, "email", sealed))
                .isNull();
        assertThat(new PiiVault(reader).reveal(other, "email", othersSealed)).isEqualTo("bob@globex.example");
        assertThat(jdbc.queryForObject(
                        "SELECT wrapped_key IS NULL AND destroyed_at IS NOT NULL FROM tessera_keys.tenant_data_key"
                                + " WHERE tenant_id = ?",
                        Boolean.class,
                        tenant))
                .isTrue();

        assertThat(writer.current(tenant).version()).isEqualTo(2);
        assertThat(writer.find(tenant, 1)).isEmpty();
    }

    @Test
    void anInstanceNeverSealsWithAKeyAnotherInstanceShredded() {
        String tenant = "t-" + UUID.randomUUID();
        DataKeys one = instance(MASTER);
        DataKeys other = instance(MASTER);
        assertThat(one.current(tenant).version()).isEqualTo(1);

        new TransactionTemplate(new DataSourceTransactionManager(dataSource))
                .executeWithoutResult(status -> other.shred(tenant));

        assertThat(one.current(tenant).version()).isEqualTo(2);
        assertThat(other.find(tenant, 2)).isPresent();
    }

    @Test
    void aRolledBackCreationIsNotRemembered() {
        String tenant = "t-" + UUID.randomUUID();
        DataKeys keys = instance(MASTER);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        DataKey rolledBack = transaction.execute(status -> {
            status.setRollbackOnly();
            return keys.current(tenant);
        });

        DataKey kept = keys.current(tenant);
        assertThat(kept.key().getEncoded()).isNotEqualTo(rolledBack.key().getEncoded());
        assertThat(instance(MASTER).current(tenant).key().getEncoded())
                .isEqualTo(kept.key().getEncoded());
    }

    @Test
    void anotherMasterKeyReadsNoDataKeyAndSaysWhy() {
        String tenant = "t-" + UUID.randomUUID();
        String sealed = new PiiVault(instance(MASTER)).seal(tenant, "email", "ann@acme.example");
        DataKeys wrongMaster = instance(MasterKey.fromBase64(MasterKey.generateBase64()));

        assertThatThrownBy(() -> wrongMaster.find(tenant, 1))
                .isInstanceOf(UnreadablePiiException.class)
                .hasMessageContaining(MASTER.id());
        assertThat(new PiiVault(wrongMaster).reveal(tenant, "email", sealed)).isNull();
    }

    @Test
    void aWrappedKeyCopiedToAnotherTenantDoesNotUnwrap() {
        String victim = "t-" + UUID.randomUUID();
        String thief = "t-" + UUID.randomUUID();
        DataKeys keys = instance(MASTER);
        keys.current(victim);
        jdbc.update(
                "INSERT INTO tessera_keys.tenant_data_key (tenant_id, version, wrapped_key, master_key_id)"
                        + " SELECT ?, version, wrapped_key, master_key_id FROM tessera_keys.tenant_data_key"
                        + " WHERE tenant_id = ?",
                thief,
                victim);

        assertThatThrownBy(() -> instance(MASTER).find(thief, 1)).isInstanceOf(UnreadablePiiException.class);
    }

    /** Row-level security on the key table: a side's login sees and shreds the keys of its transaction's tenant only. */
    @Test
    void aSideLoginReachesTheKeysOfItsTransactionsTenantOnly() {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        DataSource side = new DriverManagerDataSource(infrastructure.jdbcUrl(), "tessera_command", "");
        JdbcTemplate login = new JdbcTemplate(side);
        DataKeys keys = new DataKeys(login, MASTER, Duration.ofMinutes(5), Clock.systemUTC());
        String a = "t-" + UUID.randomUUID();
        String b = "t-" + UUID.randomUUID();
        DataKey keyOfA = keys.current(a);
        keys.current(b);
        assertThat(instance(MASTER).find(a, keyOfA.version())).isPresent();

        assertThat(login.queryForObject(
                        "SELECT count(*) FROM tessera_keys.tenant_data_key WHERE tenant_id IN (?, ?)",
                        Long.class,
                        a,
                        b))
                .as("no tenant set: no key")
                .isZero();
        new TransactionTemplate(new DataSourceTransactionManager(side)).executeWithoutResult(status -> {
            login.queryForObject("SELECT set_config('tessera.tenant_id', ?, true)", String.class, b);
            assertThat(login.queryForList(
                            "SELECT DISTINCT tenant_id FROM tessera_keys.tenant_data_key WHERE tenant_id IN (?, ?)",
                            String.class,
                            a,
                            b))
                    .containsExactly(b);
            assertThat(login.update(
                            "UPDATE tessera_keys.tenant_data_key SET wrapped_key = NULL, destroyed_at = now()"
                                    + " WHERE tenant_id = ?",
                            a))
                    .isZero();
        });
        assertThat(instance(MASTER).find(a, keyOfA.version()))
                .as("A's key survived B's attempt")
                .isPresent();
    }
}
