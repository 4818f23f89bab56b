package io.tessera.command.auth;

import io.tessera.infra.ratelimit.RateLimitAutoConfiguration;
import io.tessera.infra.ratelimit.RateLimitSettings;
import io.tessera.infra.ratelimit.TenantRateLimiter;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthSettings.class)
class AuthConfiguration {

    /** A bucket table of its own scope ("auth-client:<client id>"), beside the tenants' request buckets. */
    @Bean
    ClientAttempts clientAttempts(
            ObjectProvider<TenantRateLimiter> rateLimits, DataSource dataSource, AuthSettings settings) {
        if (rateLimits.getIfAvailable() == null) {
            return new ClientAttempts(null);
        }
        return new ClientAttempts(new TenantRateLimiter(
                RateLimitAutoConfiguration.buckets(dataSource),
                new RateLimitSettings(true, settings.attemptsPerMinute(), Map.of(), null),
                "auth-client"));
    }
}
