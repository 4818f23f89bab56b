package io.tessera.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.tessera.infra.ratelimit.RateLimitAutoConfiguration;
import io.tessera.infra.ratelimit.RateLimitSettings;
import io.tessera.infra.ratelimit.TenantRateLimiter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-request cost of the rate limit alone: {@link TenantRateLimiter} against the benchmark's
 * PostgreSQL through a Hikari pool of the services' default size (10), in a schema of its own, with a limit
 * no call reaches. Variants: Bucket4j's select-for-update proxy with a new proxy and one transaction per
 * call (the limiter before this change), the same with kept proxies and Bucket4j's batching optimization
 * (what the services run now, {@link RateLimitAutoConfiguration}), and the advisory-lock proxy with batching
 * (faster on a hot bucket, but not used: see {@link RateLimitAutoConfiguration#buckets}).
 */
final class LimiterBench implements AutoCloseable {

    enum Variant {
        SELECT_FOR_UPDATE_PER_CALL("lim sfu per call (before)"),
        SELECT_FOR_UPDATE_BATCHING("lim sfu + batching (now)"),
        ADVISORY_LOCK_BATCHING("lim advisory + batching");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private final HikariDataSource dataSource;
    private final Map<Variant, TenantRateLimiter> limiters = new EnumMap<>(Variant.class);
    private final int tenants;

    LimiterBench(String jdbcUrl, String user, int tenants) throws SQLException {
        this.tenants = tenants;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(10);
        config.setConnectionInitSql("SET search_path TO bench_limiter");
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, user, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_limiter");
            statement.execute("CREATE TABLE IF NOT EXISTS bench_limiter.rate_limit_bucket (id TEXT PRIMARY KEY,"
                    + " state BYTEA, expires_at BIGINT)");
        }
        dataSource = new HikariDataSource(config);
        RateLimitSettings settings = new RateLimitSettings(true, 100_000_000, Map.of(), null);
        ProxyManager<String> selectForUpdate = RateLimitAutoConfiguration.buckets(dataSource);
        // Lock ids above the int4 range of the command side's pg_advisory_xact_lock(hashtext(tenant)).
        ProxyManager<String> advisory = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .lockIdSupplier(key -> 0x7E55_0000_0000L | (key.hashCode() & 0xFFFF_FFFFL))
                .table("rate_limit_bucket")
                .build();
        limiters.put(
                Variant.SELECT_FOR_UPDATE_PER_CALL, new TenantRateLimiter(selectForUpdate, settings, "sfu1", false));
        limiters.put(
                Variant.SELECT_FOR_UPDATE_BATCHING, new TenantRateLimiter(selectForUpdate, settings, "sfub", true));
        limiters.put(Variant.ADVISORY_LOCK_BATCHING, new TenantRateLimiter(advisory, settings, "advb", true));
    }

    Benchmarks.Call call(Variant variant, boolean hot) {
        TenantRateLimiter limiter = limiters.get(variant);
        return () -> limiter.tryAcquire(
                        "t" + (hot ? 0 : ThreadLocalRandom.current().nextInt(tenants)))
                .allowed();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
