package io.tessera.infra.ratelimit;

import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.tessera.infra.web.EnvelopeWriter;
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

    @Bean
    TenantRateLimiter tenantRateLimiter(
            DataSource dataSource,
            RateLimitSettings settings,
            @Value("${spring.application.name:tessera}") String scope) {
        return new TenantRateLimiter(buckets(dataSource), settings, scope);
    }

    /**
     * Bucket4j's select-for-update proxy manager. Its advisory-lock one is several times faster on one hot
     * bucket (benchmarks/README.md), but with batching, 8.14.0 fails concurrent first uses of a bucket with
     * {@code BucketNotFoundException} (seen in {@code TenantRateLimiterIT}), so it is not used.
     */
    public static ProxyManager<String> buckets(DataSource dataSource) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(BUCKET_TABLE)
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
