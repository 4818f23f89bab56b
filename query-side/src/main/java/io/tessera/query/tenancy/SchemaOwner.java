package io.tessera.query.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The owner of the query side's schema ({@code spring.flyway.user}, who runs the migrations) on a connection of
 * its own, for the DDL of a rebuild: creating and dropping shadow schemas. The application's login owns nothing
 * and may create nothing; this pool is used for nothing else, reads no row (row-level security is forced, and no
 * policy names the owner), and holds no connection while no rebuild runs.
 */
@Component
public class SchemaOwner implements DisposableBean {

    private final HikariDataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    SchemaOwner(
            @Value("${spring.datasource.url}") String url,
            @Value("${spring.flyway.user:${spring.datasource.username}}") String owner,
            @Value("${spring.flyway.password:${spring.datasource.password:}}") String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tessera-query-side-owner");
        config.setJdbcUrl(url);
        config.setUsername(owner);
        config.setPassword(password);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(config);
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** {@code work} in one transaction of the owner. */
    public void administer(Consumer<JdbcClient> work) {
        transactions.executeWithoutResult(status -> work.accept(jdbc));
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
