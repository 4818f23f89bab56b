package io.tessera.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A fixed arrival rate (open model, as wrk2 does it): request i is due at {@code start + i / rate}, whether
 * or not earlier ones have come back. Workers take the next due request, wait for its time if it is still
 * ahead, send it, and record the latency from the time it was due, not from the time it left: a stalled
 * system shows as the queue it builds up, never hidden by a client that waited (no coordinated omission).
 * Requests still not sent {@code drain} after the end of the schedule are counted as errors, not sent.
 */
public final class OpenLoop {

    private final Ticker ticker;
    private final int workers;
    private final Duration drain;

    public OpenLoop(Ticker ticker, int workers, Duration drain) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: at least 1");
        }
        this.ticker = ticker;
        this.workers = workers;
        this.drain = drain;
    }

    public OpenLoop(int workers) {
        this(Ticker.SYSTEM, workers, Duration.ofSeconds(10));
    }

    /** How many requests a rate and a duration schedule: at least one. */
    public static long scheduled(double perSecond, Duration duration) {
        return Math.max(1, Math.round(perSecond * duration.toNanos() / 1e9));
    }

    public Recording run(String name, double perSecond, Duration duration, Supplier<Call> perWorker)
            throws InterruptedException {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate: above 0");
        }
        Recording recording = new Recording(name, perSecond);
        long total = scheduled(perSecond, duration);
        double interval = 1e9 / perSecond;
        long start = ticker.nanoTime();
        long giveUp = start + duration.toNanos() + drain.toNanos();
        AtomicLong next = new AtomicLong();
        Runnable worker = () -> {
            try (Call call = perWorker.get()) {
                long i;
                while ((i = next.getAndIncrement()) < total) {
                    long due = start + (long) (i * interval);
                    if (ticker.nanoTime() > giveUp) {
                        recording.error();
                        continue;
                    }
                    ticker.parkUntil(due);
                    Call.Outcome outcome;
                    try {
                        outcome = call.call();
                    } catch (Exception e) {
                        outcome = Call.Outcome.ERROR;
                    }
                    recording.record(outcome, ticker.nanoTime() - due);
                }
            } catch (Exception e) {
                recording.error();
            }
        };
        runAll(worker, workers);
        recording.finish(ticker.nanoTime() - start);
        return recording;
    }

    static void runAll(Runnable worker, int threads) throws InterruptedException {
        if (threads == 1) {
            worker.run();
            return;
        }
        List<Thread> started = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Thread thread = new Thread(worker, "bench-worker-" + w);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
    }
}
