package io.tessera.infra.ratelimit;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.rate-limit.*}: requests per minute per tenant, with per-tenant overrides, and per client
 * address for the answers given before any tenant is known (a missing or invalid token, a body too large,
 * the token endpoints).
 */
@ConfigurationProperties("tessera.rate-limit")
public record RateLimitSettings(
        Boolean enabled, Integer requestsPerMinute, Map<String, Integer> tenants, Integer perAddressPerMinute) {

    public static final int DEFAULT_REQUESTS_PER_MINUTE = 1000;

    public RateLimitSettings {
        enabled = enabled == null || enabled;
        requestsPerMinute = requestsPerMinute == null ? DEFAULT_REQUESTS_PER_MINUTE : requestsPerMinute;
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        perAddressPerMinute = perAddressPerMinute == null ? DEFAULT_REQUESTS_PER_MINUTE : perAddressPerMinute;
    }

    public int limitFor(String tenantId) {
        return tenants.getOrDefault(tenantId, requestsPerMinute);
    }
}
