package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import io.tessera.local.faults.FaultSystem.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady multi-tenant command stream over HTTP: each worker walks the tenants in turn, creates deployments
 * and moves its own deployments along legal status transitions (pending, building, active, building, ...), so
 * that each deployment has one client and the state it was told is exact. Creations per tenant stay under
 * the default hourly quota.
 */
final class CommandStream implements AutoCloseable {

    private static final Map<String, String> NEXT =
            Map.of("pending", "building", "building", "active", "active", "building");

    private final FaultSystem system;
    private final RetryingClient client;
    private final List<String> tenants;
    private final int workers;
    private final int commandsPerWorker;
    private final int creationsPerTenantAndWorker;
    private final long seed;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger answered = new AtomicInteger();
    private final ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();

    CommandStream(
            FaultSystem system,
            RetryingClient client,
            List<String> tenants,
            int workers,
            int commandsPerWorker,
            int creationsPerTenantAndWorker,
            long seed) {
        this.system = system;
        this.client = client;
        this.tenants = tenants;
        this.workers = workers;
        this.commandsPerWorker = commandsPerWorker;
        this.creationsPerTenantAndWorker = creationsPerTenantAndWorker;
        this.seed = seed;
        this.pool = Executors.newFixedThreadPool(workers);
    }

    CommandStream start() {
        for (int w = 0; w < workers; w++) {
            int worker = w;
            running.add(pool.submit(() -> work(worker)));
        }
        return this;
    }

    private void work(int worker) {
        Random random = new Random(seed + worker);
        Map<String, List<String>> own = new HashMap<>();
        Map<String, String> status = new HashMap<>();
        Map<String, String> tokens = new HashMap<>();
        for (int i = 0; i < commandsPerWorker && !stop.get(); i++) {
            String tenant = tenants.get((worker + i) % tenants.size());
            String token = tokens.computeIfAbsent(tenant, system::editor);
            List<String> mine = own.computeIfAbsent(tenant, t -> new ArrayList<>());
            boolean create = mine.isEmpty() || (mine.size() < creationsPerTenantAndWorker && random.nextInt(100) < 35);
            if (create) {
                Answer answer = client.createDeployment(tenant, token);
                if (answer.status() == 202) {
                    mine.add(answer.id());
                    status.put(answer.id(), "pending");
                }
            } else {
                String id = mine.get(random.nextInt(mine.size()));
                String next = NEXT.get(status.get(id));
                Answer answer = client.changeStatus(tenant, token, id, next);
                if (answer.status() == 202) {
                    status.put(id, next);
                } else if (answer.ambiguous()) {
                    mine.remove(id);
                    client.uncertain(tenant, id);
                }
            }
            answered.incrementAndGet();
        }
    }

    int answered() {
        return answered.get();
    }

    /** Waits until {@code count} commands were answered (or the stream ended). */
    void awaitAnswered(int count) {
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> answered.get() >= count || running.stream().allMatch(Future::isDone));
    }

    /** Lets every worker finish its commands; failures of the workers themselves are rethrown. */
    void finish() throws Exception {
        for (Future<?> future : running) {
            future.get(30, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        stop.set(true);
        pool.shutdownNow();
    }
}
