package io.tessera.infra.ratelimit;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code tessera.rate-limit.*}: requests per minute per tenant, with per-tenant overrides. */
@ConfigurationProperties("tessera.rate-limit")
public record RateLimitSettings(Boolean enabled, Integer requestsPerMinute, Map<String, Integer> tenants) {

    public static final int DEFAULT_REQUESTS_PER_MINUTE = 1000;

    public RateLimitSettings {
        enabled = enabled == null || enabled;
        requestsPerMinute = requestsPerMinute == null ? DEFAULT_REQUESTS_PER_MINUTE : requestsPerMinute;
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    public int limitFor(String tenantId) {
        return tenants.getOrDefault(tenantId, requestsPerMinute);
    }
}
