package io.tessera.query.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.freshness.ProjectionPositions;
import io.tessera.query.projection.AppliedEventListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Caffeine caches of query answers, one per kind of answer, keyed by {@link CacheKeys} and expiring
 * {@code tessera.cache.ttl} (60 s) after they were written. Concurrent identical requests load once
 * (Caffeine's {@code get(key, loader)}). Hits and misses are Micrometer metrics tagged {@code cache}
 * ({@code cache.gets{result=hit|miss}}) and {@code tessera.cache.hit.ratio}.
 *
 * <p>Freshness: every event of a tenant seen by {@link CacheInvalidation} raises the tenant's
 * <em>mark</em> (a generation and the highest position seen) and evicts the tenant's entries. A loaded
 * answer is stored only if (1) this instance is following the event stream, (2) the tenant's applied
 * position, read before the query, had reached the mark's position — otherwise the projection (maybe on
 * another instance) has not committed an event we were told about, and the answer may be the old state
 * — and (3) the mark did not change while loading. An entry of an older generation is never served. A
 * caller that asks for {@code MinPosition} N (a request's {@code X-Min-Position: N}) is served from an entry only if that entry was loaded at an
 * applied position of at least N. The instance that projects an event also evicts right after its
 * commit. What remains: on the other instances, an event is served stale from the moment its projection
 * commits until their invalidation consumer reads it (the invalidation window, tens to hundreds of
 * milliseconds; at most the TTL should that consumer stall).
 */
@Component
public class QueryCache implements AppliedEventListener {

    public static final String DEPLOYMENTS = "deployments";
    public static final String WORKFLOWS = "workflows";
    public static final String USERS = "users";
    public static final String TENANT_STATS = "tenant-stats";
    static final List<String> NAMES = List.of(DEPLOYMENTS, WORKFLOWS, USERS, TENANT_STATS);

    private final boolean enabled;
    private final Map<String, Cache<Key, Entry>> caches = new LinkedHashMap<>();
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final ProjectionPositions positions;
    private volatile boolean following;

    QueryCache(
            @Value("${tessera.cache.enabled:true}") boolean enabled,
            @Value("${tessera.cache.ttl:60s}") Duration ttl,
            @Value("${tessera.cache.maximum-size:10000}") long maximumSize,
            ProjectionPositions positions,
            ObjectProvider<MeterRegistry> registry) {
        this.enabled = enabled;
        this.positions = positions;
        for (String name : NAMES) {
            Cache<Key, Entry> cache = Caffeine.newBuilder()
                    .expireAfterWrite(ttl)
                    .maximumSize(maximumSize)
                    .recordStats()
                    .build();
            caches.put(name, cache);
            registry.ifAvailable(meters -> {
                CaffeineCacheMetrics.monitor(meters, cache, name);
                Gauge.builder("tessera.cache.hit.ratio", cache, c -> c.stats().hitRate())
                        .tag("cache", name)
                        .description("Share of lookups of this query cache answered from it")
                        .register(meters);
            });
        }
    }

    /**
     * The answer for {@code key}, from the cache when fresh enough (loaded at {@code atLeast} or later), else from
     * {@code loader}.
     */
    public <T> T get(String cacheName, String tenantId, String key, MinPosition atLeast, Supplier<T> loader) {
        if (!enabled) {
            return loader.get();
        }
        Cache<Key, Entry> cache = Objects.requireNonNull(caches.get(cacheName), cacheName);
        Key cacheKey = new Key(tenantId, key);
        for (int attempt = 0; attempt < 2; attempt++) {
            Loaded loaded = new Loaded();
            Entry entry = cache.get(cacheKey, k -> load(tenantId, loader, loaded));
            if (loaded.done) {
                @SuppressWarnings("unchecked")
                T value = (T) loaded.value;
                return value;
            }
            if (entry != null && current(tenantId, entry) && entry.position >= atLeast.position()) {
                @SuppressWarnings("unchecked")
                T value = (T) entry.value;
                return value;
            }
            if (entry != null) {
                cache.asMap().remove(cacheKey, entry);
            }
        }
        return loader.get();
    }

    /** Called for every event of the tenant: later answers must reflect {@code position}, if known. */
    public void evictTenant(String tenantId, long position) {
        marks.merge(
                tenantId,
                new Mark(1, position),
                (old, seen) -> new Mark(old.generation + 1, Math.max(old.position, seen.position)));
        caches.values().forEach(cache -> cache.asMap().keySet().removeIf(key -> key.tenantId.equals(tenantId)));
    }

    /**
     * This instance's cached answers of the tenant go as soon as its projection committed the event; every instance
     * (this one too) also evicts when its invalidation consumer reads the event ({@link CacheInvalidation}).
     */
    @Override
    public void applied(String tenantId, long position) {
        evictTenant(tenantId, position);
    }

    /** Whether the invalidation consumer follows the events; nothing is cached while it does not. */
    public boolean following() {
        return following;
    }

    void following(boolean following) {
        epoch.incrementAndGet();
        this.following = following;
        caches.values().forEach(Cache::invalidateAll);
    }

    boolean enabled() {
        return enabled;
    }

    private Entry load(String tenantId, Supplier<?> loader, Loaded loaded) {
        long epochBefore = epoch.get();
        Mark before = mark(tenantId);
        boolean cacheable = following;
        long applied = cacheable ? positions.applied(tenantId) : -1;
        loaded.value = loader.get();
        loaded.done = true;
        if (!cacheable
                || applied < before.position
                || epoch.get() != epochBefore
                || !mark(tenantId).equals(before)) {
            return null;
        }
        return new Entry(loaded.value, epochBefore, before.generation, applied);
    }

    private boolean current(String tenantId, Entry entry) {
        return entry.epoch == epoch.get() && entry.generation == mark(tenantId).generation;
    }

    private Mark mark(String tenantId) {
        return marks.getOrDefault(tenantId, Mark.NONE);
    }

    private record Key(String tenantId, String key) {}

    private record Entry(Object value, long epoch, long generation, long position) {}

    /** The events of a tenant this instance has seen: how many, and the highest position among them. */
    private record Mark(long generation, long position) {
        static final Mark NONE = new Mark(0, -1);
    }

    private static final class Loaded {
        Object value;
        boolean done;
    }
}
