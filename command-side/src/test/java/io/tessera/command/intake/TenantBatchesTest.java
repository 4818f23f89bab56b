package io.tessera.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantBatchesTest {

    private static CommandRequest request(String tenant, int n) {
        return new CommandRequest(tenant, "alice", null, "c" + n, "Deployment", "d" + n, new Object());
    }

    private static CommandOutcome accepted(CommandRequest request) {
        return CommandOutcome.accepted(request, 1L);
    }

    @Test
    void commandsThatArriveWhileABatchRunsShareTheNextBatchAndEachGetsItsOwnAnswer() throws Exception {
        TenantBatches batches = new TenantBatches(50);
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(11);
        Future<CommandOutcome> first = pool.submit(() -> batches.submit(request("t", 0), batch -> {
            sizes.add(batch.size());
            firstRunning.countDown();
            awaitLatch(release);
            batch.forEach(member -> member.answer(accepted(member.request())));
        }));
        firstRunning.await();
        List<Future<CommandOutcome>> others = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            CommandRequest request = request("t", i);
            others.add(pool.submit(() -> batches.submit(request, batch -> {
                synchronized (sizes) {
                    sizes.add(batch.size());
                }
                batch.forEach(member -> member.answer(accepted(member.request())));
            })));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.waiting("t") == 10);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).commandId()).isEqualTo("c0");
        for (int i = 0; i < others.size(); i++) {
            assertThat(others.get(i).get(10, TimeUnit.SECONDS).commandId()).isEqualTo("c" + (i + 1));
        }
        assertThat(sizes).containsExactly(1, 10);
        pool.shutdown();
    }

    @Test
    void eachCommandOfABatchRunsWithItsCallersTraceAndTheLeaderKeepsItsOwn() throws Exception {
        TenantBatches batches = new TenantBatches(50);
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, String> seen = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<String> leader = pool.submit(() -> {
            MDC.put("trace_id", "trace-0");
            batches.submit(request("t", 0), batch -> {
                firstRunning.countDown();
                awaitLatch(release);
                batch.forEach(member -> member.answer(accepted(member.request())));
            });
            return MDC.get("trace_id");
        });
        firstRunning.await();
        List<Future<String>> others = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            CommandRequest request = request("t", i);
            String trace = "trace-" + i;
            others.add(pool.submit(() -> {
                MDC.put("trace_id", trace);
                batches.submit(
                        request,
                        batch -> batch.forEach(member -> member.answer(member.inCallersContext(() -> {
                            seen.put(member.request().commandId(), MDC.get("trace_id"));
                            return accepted(member.request());
                        }))));
                return MDC.get("trace_id");
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.waiting("t") == 3);
        release.countDown();

        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("trace-0");
        for (int i = 0; i < others.size(); i++) {
            assertThat(others.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("trace-" + (i + 1));
        }
        assertThat(seen).containsOnly(entry("c1", "trace-1"), entry("c2", "trace-2"), entry("c3", "trace-3"));
        pool.shutdown();
    }

    @Test
    void aFailedBatchFailsEachOfItsCommandsAndTheLaneGoesOn() {
        TenantBatches batches = new TenantBatches(50);
        assertThatThrownBy(() -> batches.submit(request("t", 1), batch -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThatThrownBy(() -> batches.submit(request("t", 2), batch -> {})).hasMessageContaining("unanswered");
        assertThat(batches.submit(
                                request("t", 3),
                                batch -> batch.get(0)
                                        .answer(accepted(batch.get(0).request())))
                        .commandId())
                .isEqualTo("c3");
    }

    @Test
    void manyThreadsOnOneTenantAreEachAnsweredOnceAndNeverRunTwoBatchesAtOnce() throws Exception {
        TenantBatches batches = new TenantBatches(7);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<CommandOutcome>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            CommandRequest request = request("t", i);
            answers.add(pool.submit(() -> batches.submit(request, batch -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                assertThat(batch.size()).isBetween(1, 7);
                batch.forEach(member -> member.answer(accepted(member.request())));
                running.decrementAndGet();
            })));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(30, TimeUnit.SECONDS).commandId()).isEqualTo("c" + i);
        }
        assertThat(overlaps).hasValue(0);
        pool.shutdown();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
