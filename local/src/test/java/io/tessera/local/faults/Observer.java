package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import io.tessera.local.faults.FaultSystem.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client without retries beside the command stream, for what a fault looks like from outside: a creation every
 * 300 ms, the health of both sides and a read of the query side every 500 ms, each answer kept in order (slice
 * the lists by their size before and after a fault to see the answers given during it).
 */
final class Observer implements AutoCloseable {

    final List<Answer> commands = new CopyOnWriteArrayList<>();
    final List<String> health = new CopyOnWriteArrayList<>();
    /** How long each health answer took, in the order of {@link #health}. */
    final List<Duration> healthTimes = new CopyOnWriteArrayList<>();

    final List<Answer> reads = new CopyOnWriteArrayList<>();
    // One thread per task: a read on a frozen database link waits for it, health and creations must not.
    private final ScheduledExecutorService pace = Executors.newScheduledThreadPool(3);
    private final FaultSystem system;

    Observer(FaultSystem system) {
        this.system = system;
    }

    Observer start(String tenant) {
        String token = system.editor(tenant);
        every(
                Duration.ofMillis(300),
                () -> commands.add(system.call(
                        system.commandSide.url(),
                        "POST",
                        "/api/deployments",
                        token,
                        Map.of("project_name", "fault-observer-" + UUID.randomUUID()),
                        UUID.randomUUID().toString())));
        every(Duration.ofMillis(500), () -> {
            for (ChildJvm side : List.of(system.commandSide, system.querySide)) {
                long asked = System.nanoTime();
                Answer answer = system.call(side.url(), "GET", "/actuator/health", null, null, null);
                healthTimes.add(Duration.ofNanos(System.nanoTime() - asked));
                health.add(answer.status() < 0 ? "no answer: " + answer.failure() : "" + answer.status());
            }
        });
        every(
                Duration.ofMillis(500),
                () -> reads.add(system.call(system.querySide.url(), "GET", "/api/deployments", token, null, null)));
        return this;
    }

    /** The pause counts from the end of the previous call, as a client that waits for its answer would. */
    private void every(Duration pause, Runnable call) {
        pace.scheduleWithFixedDelay(call, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creations answered 202 (by a side that stored them): the ledger expects them like the stream's. */
    void enterAccepted(Ledger ledger, String tenant) {
        for (Answer answer : commands) {
            if (answer.status() == 202) {
                ledger.sent(tenant);
                ledger.accepted(tenant);
                ledger.created(tenant, answer.id(), null);
            }
        }
    }

    /** Waits until a creation sent from now on is accepted: the system recovered. */
    void awaitAccepted(Duration atMost) {
        int before = commands.size();
        await("a command accepted")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> commands.subList(before, commands.size()).stream().anyMatch(a -> a.status() == 202));
    }

    @Override
    public void close() throws InterruptedException {
        pace.shutdown();
        if (!pace.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the observer's calls did not end");
        }
    }
}
