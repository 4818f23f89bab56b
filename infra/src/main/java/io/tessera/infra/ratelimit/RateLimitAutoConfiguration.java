package io.tessera.infra.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.tessera.infra.web.EnvelopeWriter;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** Rate limits on by default; {@code tessera.rate-limit.enabled=false} turns them off. */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(RateLimitSettings.class)
@ConditionalOnProperty(name = "tessera.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
public class RateLimitAutoConfiguration {

    public static final String BUCKET_TABLE = "rate_limit_bucket";
    static final String EXPIRES_AT = "expires_at";

    /** How long past the moment it would be full again a bucket's row is kept before the sweeper may delete it. */
    static final Duration KEPT_WHEN_FULL = Duration.ofMinutes(1);

    @Bean
    PostgreSQLSelectForUpdateBasedProxyManager<String> rateLimitBuckets(DataSource dataSource) {
        return buckets(dataSource);
    }

    @Bean
    TenantRateLimiter tenantRateLimiter(
            PostgreSQLSelectForUpdateBasedProxyManager<String> rateLimitBuckets,
            RateLimitSettings settings,
            @Value("${spring.application.name:tessera}") String scope) {
        return new TenantRateLimiter(rateLimitBuckets, settings, scope);
    }

    @Bean
    ExpiredBucketSweeper expiredBucketSweeper(
            PostgreSQLSelectForUpdateBasedProxyManager<String> rateLimitBuckets,
            @Value("${tessera.rate-limit.sweep-interval:1m}") Duration interval) {
        return new ExpiredBucketSweeper(rateLimitBuckets, interval);
    }

    /**
     * Bucket4j's select-for-update proxy manager. Its advisory-lock one is several times faster on one hot
     * bucket (benchmarks/README.md), but with batching, 8.14.0 fails concurrent first uses of a bucket with
     * {@code BucketNotFoundException} (seen in {@code TenantRateLimiterIT}), so it is not used.
     */
    public static PostgreSQLSelectForUpdateBasedProxyManager<String> buckets(DataSource dataSource) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(BUCKET_TABLE)
                .expiresAtColumn(EXPIRES_AT)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEPT_WHEN_FULL))
                .build();
    }

    /** First of all {@code /api} filters: counts the answers given before a tenant is known. */
    @Bean
    FilterRegistrationBean<EarlyAnswerRateLimitFilter> earlyAnswerRateLimitFilter(
            TenantRateLimiter limiter, EnvelopeWriter envelopeWriter) {
        FilterRegistrationBean<EarlyAnswerRateLimitFilter> registration =
                new FilterRegistrationBean<>(new EarlyAnswerRateLimitFilter(limiter, envelopeWriter));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /** The bucket table comes with infra, into whichever schema the side migrates. */
    @Bean
    FlywayConfigurationCustomizer rateLimitMigrations() {
        return configuration -> {
            String[] locations = java.util.Arrays.stream(configuration.getLocations())
                    .map(Object::toString)
                    .toArray(String[]::new);
            String[] withInfra = java.util.Arrays.copyOf(locations, locations.length + 1);
            withInfra[locations.length] = "classpath:db/infra";
            configuration.locations(withInfra);
        };
    }
}
