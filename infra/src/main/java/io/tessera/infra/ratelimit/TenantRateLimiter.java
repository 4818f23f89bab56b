package io.tessera.infra.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.time.Instant;

/** One token bucket per tenant, refilled whole every minute, shared by every instance through PostgreSQL. */
public class TenantRateLimiter {

    private final ProxyManager<String> buckets;
    private final RateLimitSettings settings;
    private final String scope;

    public TenantRateLimiter(ProxyManager<String> buckets, RateLimitSettings settings, String scope) {
        this.buckets = buckets;
        this.settings = settings;
        this.scope = scope;
    }

    public Decision tryAcquire(String tenantId) {
        int limit = settings.limitFor(tenantId);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit).refillIntervally(limit, Duration.ofMinutes(1)))
                .build();
        ConsumptionProbe probe =
                buckets.getProxy(scope + ":" + tenantId, () -> configuration).tryConsumeAndReturnRemaining(1);
        Instant now = Instant.now();
        return new Decision(
                probe.isConsumed(),
                limit,
                probe.getRemainingTokens(),
                now.plusNanos(probe.getNanosToWaitForReset()),
                Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** What one request learns: whether it may pass, and what the {@code X-RateLimit-*} headers say. */
    public record Decision(boolean allowed, int limit, long remaining, Instant reset, Duration retryAfter) {}
}
