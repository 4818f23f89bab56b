package io.tessera.benchmarks.load;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A fixed number of clients, each sending its next request when the last one came back, for a fixed time or until a call answers {@link Call.Outcome#DONE}:
 * what "N concurrent clients" means, and the way to find how many calls per second a path can take. The
 * latency recorded is each call's own time (there is no schedule to fall behind).
 */
public final class ClosedLoop {

    private final Ticker ticker;

    public ClosedLoop(Ticker ticker) {
        this.ticker = ticker;
    }

    public ClosedLoop() {
        this(Ticker.SYSTEM);
    }

    public Recording run(String name, int clients, Duration duration, Supplier<Call> perClient)
            throws InterruptedException {
        Recording recording = new Recording(name);
        long start = ticker.nanoTime();
        long end = start + duration.toNanos();
        Runnable client = () -> {
            try (Call call = perClient.get()) {
                while (ticker.nanoTime() < end) {
                    long sent = ticker.nanoTime();
                    Call.Outcome outcome;
                    try {
                        outcome = call.call();
                    } catch (Exception e) {
                        outcome = Call.Outcome.ERROR;
                    }
                    if (outcome == Call.Outcome.DONE) {
                        break;
                    }
                    recording.record(outcome, ticker.nanoTime() - sent);
                }
            } catch (Exception e) {
                recording.error();
            }
        };
        OpenLoop.runAll(client, clients);
        recording.finish(ticker.nanoTime() - start);
        return recording;
    }
}
