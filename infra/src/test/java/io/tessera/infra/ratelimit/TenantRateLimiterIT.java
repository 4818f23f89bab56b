package io.tessera.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.tessera.infra.runtime.LocalInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Two limiters over one PostgreSQL stand for two instances: together they allow exactly the limit. */
class TenantRateLimiterIT {

    private static DataSource dataSource;

    @BeforeAll
    static void createBucketTable() throws Exception {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        dataSource = new DriverManagerDataSource(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword());
        try (Connection connection = dataSource.getConnection()) {
            for (String migration : List.of("V0_1__rate_limit_bucket.sql", "R__rate_limit_bucket_expiry.sql")) {
                connection
                        .createStatement()
                        .execute(new ClassPathResource("db/infra/" + migration)
                                .getContentAsString(StandardCharsets.UTF_8));
            }
        }
    }

    private static TenantRateLimiter limiter(Map<String, Integer> overrides) {
        return new TenantRateLimiter(
                RateLimitAutoConfiguration.buckets(dataSource),
                new RateLimitSettings(true, 1000, overrides, null),
                "test");
    }

    @Test
    void allowsExactlyTheLimitSummedOverTwoInstances() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        TenantRateLimiter first = limiter(Map.of(tenant, 50));
        TenantRateLimiter second = limiter(Map.of(tenant, 50));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            var attempts = IntStream.range(0, 80)
                    .mapToObj(i -> pool.submit(() -> (i % 2 == 0 ? first : second).tryAcquire(tenant)))
                    .toList();
            long allowed = 0;
            for (Future<TenantRateLimiter.Decision> attempt : attempts) {
                if (attempt.get().allowed()) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
        TenantRateLimiter.Decision refused = first.tryAcquire(tenant);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isPositive();
    }

    /**
     * A fresh bucket's first requests arriving together: Bucket4j's batching fails a merged batch on a bucket
     * that does not exist yet. The advisory-lock manager, faster, makes that race near certain with 8 threads.
     */
    @Test
    void aFreshBucketsConcurrentFirstRequestsAreEachCountedOnce() throws Exception {
        ProxyManager<String> advisory = Bucket4jPostgreSQL.advisoryLockBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .lockIdSupplier(key -> 0x7E55_0000_0000L | (key.hashCode() & 0xFFFF_FFFFL))
                .table(RateLimitAutoConfiguration.BUCKET_TABLE)
                .build();
        for (ProxyManager<String> buckets : List.of(advisory, RateLimitAutoConfiguration.buckets(dataSource))) {
            String tenant = "t-" + UUID.randomUUID();
            TenantRateLimiter first = new TenantRateLimiter(
                    buckets, new RateLimitSettings(true, 1000, Map.of(tenant, 30), null), "fresh");
            TenantRateLimiter second = new TenantRateLimiter(
                    buckets, new RateLimitSettings(true, 1000, Map.of(tenant, 30), null), "fresh");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CyclicBarrier together = new CyclicBarrier(8);
                List<Future<TenantRateLimiter.Decision>> attempts = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    TenantRateLimiter limiter = i % 2 == 0 ? first : second;
                    boolean wait = i < 8;
                    attempts.add(pool.submit(() -> {
                        if (wait) {
                            together.await();
                        }
                        return limiter.tryAcquire(tenant);
                    }));
                }
                long allowed = 0;
                for (Future<TenantRateLimiter.Decision> attempt : attempts) {
                    if (attempt.get().allowed()) {
                        allowed++;
                    }
                }
                assertThat(allowed).isEqualTo(30);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void oneTenantsExhaustionLeavesAnotherUntouched() {
        String noisy = "noisy-" + UUID.randomUUID();
        String quiet = "quiet-" + UUID.randomUUID();
        TenantRateLimiter limiter = limiter(Map.of(noisy, 3));
        IntStream.range(0, 10).forEach(i -> limiter.tryAcquire(noisy));
        TenantRateLimiter.Decision decision = limiter.tryAcquire(quiet);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.limit()).isEqualTo(1000);
        assertThat(decision.remaining()).isEqualTo(999);
    }

    @Test
    void aClientAddressHasABucketOfItsOwnWithItsOwnLimit() {
        String tenant = "t-" + UUID.randomUUID();
        TenantRateLimiter limiter = new TenantRateLimiter(
                RateLimitAutoConfiguration.buckets(dataSource), new RateLimitSettings(true, 1000, Map.of(), 2), "test");
        String address = "10.0." + UUID.randomUUID().hashCode() % 200;
        limiter.tryAcquireForAddress(address);
        limiter.tryAcquireForAddress(address);

        assertThat(limiter.tryAcquireForAddress(address).allowed()).isFalse();
        TenantRateLimiter.Decision tenantDecision = limiter.tryAcquire(tenant);
        assertThat(tenantDecision.allowed()).isTrue();
        assertThat(tenantDecision.remaining()).isEqualTo(999);
    }

    @Test
    void aChangedLimitStartsAFreshBucket() {
        String tenant = "t-" + UUID.randomUUID();
        TenantRateLimiter before = limiter(Map.of(tenant, 3));
        IntStream.range(0, 3).forEach(i -> before.tryAcquire(tenant));
        assertThat(before.tryAcquire(tenant).allowed()).isFalse();

        TenantRateLimiter.Decision after = limiter(Map.of(tenant, 5)).tryAcquire(tenant);

        assertThat(after.allowed()).isTrue();
        assertThat(after.limit()).isEqualTo(5);
        assertThat(after.remaining()).isEqualTo(4);
    }

    /** A bucket past its expiry (as if a few idle minutes went by) is deleted, and comes back full on next use. */
    @Test
    void anIdleBucketIsSweptAndComesBackFull() {
        String tenant = "idle-" + UUID.randomUUID();
        var buckets = RateLimitAutoConfiguration.buckets(dataSource);
        TenantRateLimiter limiter =
                new TenantRateLimiter(buckets, new RateLimitSettings(true, 10, Map.of(), null), "idle");
        IntStream.range(0, 4).forEach(i -> limiter.tryAcquire(tenant));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String key = "idle:" + tenant + "@10";
        long expiresAt = jdbc.sql("SELECT expires_at FROM rate_limit_bucket WHERE id = ?")
                .param(key)
                .query(Long.class)
                .single();
        assertThat(expiresAt).isGreaterThan(System.currentTimeMillis());

        jdbc.sql("UPDATE rate_limit_bucket SET expires_at = 0 WHERE id = ?")
                .param(key)
                .update();
        assertThat(new ExpiredBucketSweeper(buckets, Duration.ofMinutes(1)).sweep())
                .isPositive();

        assertThat(jdbc.sql("SELECT count(*) FROM rate_limit_bucket WHERE id = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        TenantRateLimiter.Decision afterSweep = limiter.tryAcquire(tenant);
        assertThat(afterSweep.allowed()).isTrue();
        assertThat(afterSweep.remaining()).isEqualTo(9);
    }
}
