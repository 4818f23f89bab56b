package io.tessera.infra.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per tenant (and one per client address for answers given before a tenant is known),
 * refilled whole every minute, shared by every instance through PostgreSQL.
 *
 * <p>Each bucket's proxy is kept and built with Bucket4j's batching optimization: requests of one bucket
 * that arrive while a round trip for it is in flight wait and then go to the database together, as one
 * transaction that consumes for each of them in order. Nothing is counted locally, so the limit stays
 * exact across instances; a hot tenant costs one round trip per batch instead of one per request.
 */
public class TenantRateLimiter {

    /** Past this many kept proxies (a flood of client addresses, say) they are dropped and rebuilt on use. */
    static final int MAX_KEPT_PROXIES = 10_000;

    private final ProxyManager<String> buckets;
    private final RateLimitSettings settings;
    private final String scope;
    private final boolean batching;
    private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();

    public TenantRateLimiter(ProxyManager<String> buckets, RateLimitSettings settings, String scope) {
        this(buckets, settings, scope, true);
    }

    /** {@code batching} false: a new proxy and one database round trip per request (for comparison). */
    public TenantRateLimiter(ProxyManager<String> buckets, RateLimitSettings settings, String scope, boolean batching) {
        this.buckets = buckets;
        this.settings = settings;
        this.scope = scope;
        this.batching = batching;
    }

    public Decision tryAcquire(String tenantId) {
        return tryAcquire(scope + ":" + tenantId, settings.limitFor(tenantId));
    }

    /** For answers given before any tenant is known; a separate key space (tenant ids never hold a '/'). */
    public Decision tryAcquireForAddress(String clientAddress) {
        return tryAcquire(scope + "/address:" + clientAddress, settings.perAddressPerMinute());
    }

    /**
     * The limit is part of the key: a stored bucket keeps the capacity it was created with, so a changed
     * limit must start a new bucket rather than inherit the old one's.
     */
    private Decision tryAcquire(String bucket, int limit) {
        String key = bucket + "@" + limit;
        ConsumptionProbe probe;
        try {
            probe = proxy(key, limit).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (!missingBucket(e)) {
                throw e;
            }
            // Bucket4j 8.14's batching does not create a missing bucket for a merged batch (it fails the whole
            // batch, nothing consumed), which happens when a fresh bucket's first requests arrive together.
            // One plain call creates it and takes this request's token.
            probe = buckets.getProxy(key, () -> configuration(limit)).tryConsumeAndReturnRemaining(1);
        }
        Instant now = Instant.now();
        return new Decision(
                probe.isConsumed(),
                limit,
                probe.getRemainingTokens(),
                now.plusNanos(probe.getNanosToWaitForReset()),
                Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private static boolean missingBucket(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private BucketProxy proxy(String key, int limit) {
        if (!batching) {
            return buckets.getProxy(key, () -> configuration(limit));
        }
        BucketProxy kept = proxies.get(key);
        if (kept != null) {
            return kept;
        }
        if (proxies.size() >= MAX_KEPT_PROXIES) {
            proxies.clear();
        }
        return proxies.computeIfAbsent(
                key,
                k -> buckets.builder()
                        .withOptimization(Optimizations.batching())
                        .build(k, () -> configuration(limit)));
    }

    private static BucketConfiguration configuration(int limit) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit).refillIntervally(limit, Duration.ofMinutes(1)))
                .build();
    }

    /** What one request learns: whether it may pass, and what the {@code X-RateLimit-*} headers say. */
    public record Decision(boolean allowed, int limit, long remaining, Instant reset, Duration retryAfter) {}
}
