package io.tessera.infra.pii;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The data keys and the vault, wherever there is a database. The key schema is migrated here, by each
 * side, with a Flyway history of its own ({@code tessera_keys.flyway_schema_history}), because both
 * sides share one table rather than each owning a copy (unlike {@code rate_limit_bucket}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean(DataSource.class)
public class PiiAutoConfiguration {

    public static final String SCHEMA = "tessera_keys";

    @Bean
    DataKeys dataKeys(
            DataSource dataSource,
            @Value("${tessera.pii.master-key:}") String masterKey,
            @Value("${tessera.pii.key-cache-ttl:30s}") Duration keyCacheTtl,
            @Value("${spring.datasource.url:}") String url,
            @Value("${spring.flyway.user:}") String owner,
            @Value("${spring.flyway.password:}") String ownerPassword) {
        MasterKey master = MasterKey.fromBase64(masterKey);
        migrateKeySchema(
                owner.isBlank() || url.isBlank()
                        ? dataSource
                        : new SimpleDriverDataSource(new Driver(), url, owner, ownerPassword));
        return new DataKeys(new JdbcTemplate(dataSource), master, keyCacheTtl, Clock.systemUTC());
    }

    /**
     * As the owner of the schema ({@code spring.flyway.user}, the login of the side's own migrations) on a
     * connection of its own. Two sides starting at once: the schema is created idempotently, Flyway locks its
     * own history.
     */
    public static void migrateKeySchema(DataSource dataSource) {
        new JdbcTemplate(dataSource).execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(false)
                .locations("classpath:db/tessera-keys")
                .load()
                .migrate();
    }

    @Bean
    PiiVault piiVault(DataKeys dataKeys) {
        return new PiiVault(dataKeys);
    }
}
