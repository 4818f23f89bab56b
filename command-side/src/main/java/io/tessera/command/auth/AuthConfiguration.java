package io.tessera.command.auth;

import io.tessera.infra.ratelimit.RateLimitAutoConfiguration;
import io.tessera.infra.ratelimit.RateLimitSettings;
import io.tessera.infra.ratelimit.TenantRateLimiter;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthSettings.class)
class AuthConfiguration {

    /** Bucket scopes of their own ("auth-client:<client id>", "auth-address:<address>"), beside the tenants'. */
    @Bean
    ClientAttempts clientAttempts(
            ObjectProvider<TenantRateLimiter> rateLimits, DataSource dataSource, AuthSettings settings) {
        if (rateLimits.getIfAvailable() == null) {
            return ClientAttempts.unlimited();
        }
        return new ClientAttempts(
                limiter(dataSource, settings.attemptsPerMinute(), "auth-client"),
                limiter(dataSource, settings.failedAttemptsPerAddress(), "auth-address"),
                settings.backOff(),
                Clock.systemUTC());
    }

    private static TenantRateLimiter limiter(DataSource dataSource, int perMinute, String scope) {
        return new TenantRateLimiter(
                RateLimitAutoConfiguration.buckets(dataSource),
                new RateLimitSettings(true, perMinute, Map.of(), null),
                scope);
    }
}
