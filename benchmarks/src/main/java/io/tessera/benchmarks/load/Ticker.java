package io.tessera.benchmarks.load;

import java.util.concurrent.locks.LockSupport;

/** Time for the load loops; a test replaces it to run a schedule without waiting. */
public interface Ticker {

    long nanoTime();

    /** Returns at {@code deadline} or a little later. */
    void parkUntil(long deadline);

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    };
}
