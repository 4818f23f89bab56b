package io.tessera.benchmarks.system;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.command.CommandSideApplication;
import io.tessera.infra.pii.MasterKey;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.runtime.LocalKafka;
import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.query.QuerySideApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system in this JVM: embedded PostgreSQL and Kafka in throwaway directories, the command side, a
 * query side with the cache and a second one on the same read tables without it, all on free ports. The
 * per-tenant request limit is lifted for every tenant but the soak test's noisy one, which keeps
 * {@code noisyLimitPerMinute}; creation quotas are lifted per tenant by the loader (a platform admin's PUT).
 */
public final class BenchSystem implements AutoCloseable {

    public static final String LOGGING = "tessera-benchmarks-logback.xml";
    private static final int LIFTED_LIMIT_PER_MINUTE = 100_000_000;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final Api api = new Api();
    private String jdbcUrl;
    private String commandUrl;
    private String queryUrl;
    private String uncachedQueryUrl;
    private ConfigurableApplicationContext commandContext;
    private ConfigurableApplicationContext queryContext;
    private ConfigurableApplicationContext uncachedQueryContext;
    private Tenants tenants;

    private BenchSystem() {}

    /** {@code serviceProperties}: KEY=VALUE pairs every side gets last, so they win. */
    public static BenchSystem start(
            int tenantCount, double zipfExponent, int noisyLimitPerMinute, List<String> serviceProperties)
            throws IOException {
        BenchSystem system = new BenchSystem();
        try {
            system.startAll(tenantCount, zipfExponent, noisyLimitPerMinute, serviceProperties);
            return system;
        } catch (IOException | RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startAll(int tenantCount, double zipfExponent, int noisyLimitPerMinute, List<String> serviceProperties)
            throws IOException {
        LocalPostgres postgres = LocalPostgres.start(null, 0, false);
        running.add(postgres);
        jdbcUrl = postgres.jdbcUrl();
        Path kafkaDir = Files.createTempDirectory("tessera-bench-kafka");
        running.add(() -> deleteQuietly(kafkaDir));
        LocalKafka kafka = LocalKafka.start(kafkaDir, 0);
        running.add(kafka);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        List<String> common = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--tessera.jwt.secret=" + secret,
                "--tessera.pii.master-key=" + MasterKey.generateBase64(),
                "--tessera.rate-limit.requests-per-minute=" + LIFTED_LIMIT_PER_MINUTE,
                "--tessera.rate-limit.tenants." + Tenants.NOISY + "=" + noisyLimitPerMinute,
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                "--logging.register-shutdown-hook=false",
                "--logging.config=classpath:" + LOGGING));
        LocalInfrastructure.embeddedLogins().forEach((name, value) -> common.add("--" + name + "=" + value));
        KeyPair eventKey = Ed25519Keys.generate();
        String eventKeyId = Ed25519Keys.keyIdOf(eventKey.getPublic());
        common.add("--tessera.events.signing.key-id=" + eventKeyId);
        common.add("--tessera.events.signing.private-key=" + Ed25519Keys.encode(eventKey.getPrivate()));
        common.add("--tessera.events.public-keys=" + eventKeyId + "=" + Ed25519Keys.encode(eventKey.getPublic()));
        serviceProperties.forEach(property -> common.add("--" + property));
        commandContext = startSide(CommandSideApplication.class, "command-side", common);
        commandUrl = url(commandContext);
        queryContext = startSide(QuerySideApplication.class, "query-side", common);
        queryUrl = url(queryContext);
        List<String> uncached = new ArrayList<>(common);
        uncached.add("--tessera.cache.enabled=false");
        uncachedQueryContext = startSide(QuerySideApplication.class, "query-side", uncached);
        uncachedQueryUrl = url(uncachedQueryContext);
        tenants = new Tenants(tenantCount, zipfExponent, new TokenIssuer(secret, null));
    }

    private ConfigurableApplicationContext startSide(Class<?> application, String configName, List<String> common) {
        List<String> arguments = new ArrayList<>();
        arguments.add("--spring.config.name=" + configName);
        arguments.addAll(common);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .run(arguments.toArray(String[]::new));
        running.add(context);
        return context;
    }

    private static String url(ConfigurableApplicationContext context) {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return api;
    }

    public Tenants tenants() {
        return tenants;
    }

    public String commandUrl() {
        return commandUrl;
    }

    public String queryUrl() {
        return queryUrl;
    }

    public String uncachedQueryUrl() {
        return uncachedQueryUrl;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "");
    }

    /** A connection as the uncached query side's pool opens one: its login, its schema, its first statement. */
    public Connection connectAsQuerySide() throws SQLException {
        HikariDataSource pool = uncachedQuerySidePool();
        Connection db = DriverManager.getConnection(jdbcUrl, pool.getUsername(), pool.getPassword());
        try {
            db.setSchema(pool.getSchema());
            if (pool.getConnectionInitSql() != null) {
                try (Statement init = db.createStatement()) {
                    init.execute(pool.getConnectionInitSql());
                }
            }
            return db;
        } catch (SQLException e) {
            db.close();
            throw e;
        }
    }

    /** How many connections the uncached query side may hold at once. */
    public int uncachedQuerySidePoolSize() throws SQLException {
        return uncachedQuerySidePool().getMaximumPoolSize();
    }

    /** JDBC statements the uncached query side has run since it started ({@code tessera.db.statement}). */
    public long uncachedQuerySideStatements() {
        return uncachedQueryContext.getBean(MeterRegistry.class).find("tessera.db.statement").timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    private HikariDataSource uncachedQuerySidePool() throws SQLException {
        return uncachedQueryContext.getBean(DataSource.class).unwrap(HikariDataSource.class);
    }

    /** The command side's and the cached query side's meters, in that order. */
    public List<MeterRegistry> sideMeters() {
        return List.of(commandContext.getBean(MeterRegistry.class), queryContext.getBean(MeterRegistry.class));
    }

    /** The cached query side's own cache counters: hits and misses of a cache since the start. */
    public long[] cacheGets(String cache) {
        MeterRegistry meters = queryContext.getBean(MeterRegistry.class);
        return new long[] {
            (long) meters.get("cache.gets")
                    .tags("cache", cache, "result", "hit")
                    .functionCounter()
                    .count(),
            (long) meters.get("cache.gets")
                    .tags("cache", cache, "result", "miss")
                    .functionCounter()
                    .count()
        };
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping failed: " + e);
            }
        }
        running.clear();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a throwaway directory
        }
    }
}
