package io.tessera.local.faults;

import io.tessera.local.faults.FaultSystem.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final FaultSystem system;

    Observer(FaultSystem system) {
        this.system = system;
    }

    Observer start(String tenant) {
        String token = system.editor(tenant);
        threads.add(started("observer-commands", () -> {
            while (!stop.get()) {
                commands.add(system.call(
                        system.commandSide.url(),
                        "POST",
                        "/api/deployments",
                        token,
                        Map.of("project_name", "fault-observer-" + UUID.randomUUID()),
                        UUID.randomUUID().toString()));
                ChildJvm.sleep(Duration.ofMillis(300));
            }
        }));
        threads.add(started("observer-health", () -> {
            while (!stop.get()) {
                for (ChildJvm side : List.of(system.commandSide, system.querySide)) {
                    long asked = System.nanoTime();
                    Answer answer = system.call(side.url(), "GET", "/actuator/health", null, null, null);
                    healthTimes.add(Duration.ofNanos(System.nanoTime() - asked));
                    health.add(answer.status() < 0 ? "no answer: " + answer.failure() : "" + answer.status());
                }
                ChildJvm.sleep(Duration.ofMillis(500));
            }
        }));
        // On a thread of its own: a read on a frozen database link waits for it, health must not.
        threads.add(started("observer-reads", () -> {
            while (!stop.get()) {
                reads.add(system.call(system.querySide.url(), "GET", "/api/deployments", token, null, null));
                ChildJvm.sleep(Duration.ofMillis(500));
            }
        }));
        return this;
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
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (commands.subList(before, commands.size()).stream().anyMatch(a -> a.status() == 202)) {
                return;
            }
            ChildJvm.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("no command accepted within " + atMost);
    }

    private static Thread started(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
