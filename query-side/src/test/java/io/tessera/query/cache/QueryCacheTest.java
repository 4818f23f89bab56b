package io.tessera.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.freshness.ProjectionPositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

/** The freshness rules of {@link QueryCache}, with the applied positions of the read model faked. */
class QueryCacheTest {

    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger loads = new AtomicInteger();

    private QueryCache cache(boolean enabled) {
        ProjectionPositions positions = mock(ProjectionPositions.class);
        when(positions.applied(anyString())).thenAnswer(call -> applied.getOrDefault(call.getArgument(0), -1L));
        @SuppressWarnings("unchecked")
        ObjectProvider<MeterRegistry> registry = mock(ObjectProvider.class);
        org.mockito.Mockito.doAnswer(call -> {
                    call.<java.util.function.Consumer<MeterRegistry>>getArgument(0)
                            .accept(meters);
                    return null;
                })
                .when(registry)
                .ifAvailable(any());
        QueryCache cache = new QueryCache(enabled, Duration.ofSeconds(30), 1000, positions, registry);
        cache.following(true);
        return cache;
    }

    private Supplier<String> loader(String value) {
        return () -> {
            loads.incrementAndGet();
            return value;
        };
    }

    @Test
    void secondIdenticalRequestIsAHit() {
        QueryCache cache = cache(true);

        assertThat(cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("v1")))
                .isEqualTo("v1");
        assertThat(cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("v2")))
                .isEqualTo("v1");

        assertThat(loads).hasValue(1);
        assertThat(meters.get("cache.gets")
                        .tags("cache", QueryCache.DEPLOYMENTS, "result", "hit")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("tessera.cache.hit.ratio")
                        .tag("cache", QueryCache.DEPLOYMENTS)
                        .gauge()
                        .value())
                .isEqualTo(0.5);
    }

    @Test
    void anEventEvictsItsTenantOnly() {
        QueryCache cache = cache(true);
        cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("acme-1"));
        cache.get(QueryCache.DEPLOYMENTS, "other", "k", MinPosition.NONE, loader("other-1"));

        cache.evictTenant("acme", -1);

        assertThat(cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("acme-2")))
                .isEqualTo("acme-2");
        assertThat(cache.get(QueryCache.DEPLOYMENTS, "other", "k", MinPosition.NONE, loader("other-2")))
                .isEqualTo("other-1");
    }

    @Test
    void nothingIsCachedUntilTheReadModelAppliedTheEventThatEvicted() {
        QueryCache cache = cache(true);
        applied.put("acme", 10L);
        cache.get(QueryCache.TENANT_STATS, "acme", "k", MinPosition.NONE, loader("old"));

        cache.evictTenant("acme", 11);
        // the projection (maybe on another instance) has not committed position 11 yet
        assertThat(cache.get(QueryCache.TENANT_STATS, "acme", "k", MinPosition.NONE, loader("old")))
                .isEqualTo("old");
        assertThat(cache.get(QueryCache.TENANT_STATS, "acme", "k", MinPosition.NONE, loader("new")))
                .isEqualTo("new");

        applied.put("acme", 11L);
        assertThat(cache.get(QueryCache.TENANT_STATS, "acme", "k", MinPosition.NONE, loader("new")))
                .isEqualTo("new");
        assertThat(cache.get(QueryCache.TENANT_STATS, "acme", "k", MinPosition.NONE, loader("newer")))
                .isEqualTo("new");
    }

    @Test
    void anAnswerLoadedWhileItsTenantWasEvictedIsNotStored() {
        QueryCache cache = cache(true);

        assertThat(cache.get(QueryCache.USERS, "acme", "k", MinPosition.NONE, () -> {
                    cache.evictTenant("acme", -1);
                    return "loaded-before-the-event";
                }))
                .isEqualTo("loaded-before-the-event");

        assertThat(cache.get(QueryCache.USERS, "acme", "k", MinPosition.NONE, loader("fresh")))
                .isEqualTo("fresh");
    }

    @Test
    void nothingIsCachedWhileNotFollowingTheEvents() {
        QueryCache cache = cache(true);
        cache.get(QueryCache.WORKFLOWS, "acme", "k", MinPosition.NONE, loader("v1"));

        cache.following(false);

        assertThat(cache.get(QueryCache.WORKFLOWS, "acme", "k", MinPosition.NONE, loader("v2")))
                .isEqualTo("v2");
        assertThat(cache.get(QueryCache.WORKFLOWS, "acme", "k", MinPosition.NONE, loader("v3")))
                .isEqualTo("v3");
    }

    @Test
    void disabledCacheAlwaysLoads() {
        QueryCache cache = cache(false);

        cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("v1"));
        cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, loader("v1"));

        assertThat(loads).hasValue(2);
    }

    @Test
    void concurrentIdenticalRequestsLoadOnce() throws Exception {
        QueryCache cache = cache(true);
        int callers = 16;
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> slowLoader = () -> {
            loads.incrementAndGet();
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "page";
        };
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Thread> threads = new CopyOnWriteArrayList<>();
            List<Future<String>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> {
                threads.add(Thread.currentThread());
                return cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, slowLoader);
            }));
            loading.await();
            for (int i = 1; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    threads.add(Thread.currentThread());
                    return cache.get(QueryCache.DEPLOYMENTS, "acme", "k", MinPosition.NONE, slowLoader);
                }));
            }
            // Every caller is parked behind the one load in flight before that load may finish.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> threads.size() == callers
                            && threads.stream()
                                            .filter(t -> t.getState() == Thread.State.BLOCKED
                                                    || t.getState() == Thread.State.WAITING)
                                            .count()
                                    == callers);
            release.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo("page");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
        assertThat(meters.get("cache.gets")
                        .tags("cache", QueryCache.DEPLOYMENTS, "result", "miss")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
    }
}
