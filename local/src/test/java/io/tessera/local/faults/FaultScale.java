package io.tessera.local.faults;

/**
 * How much load a fault test applies: a short run by default (CI), the long one with {@code TESSERA_FAULTS=long},
 * {@code -Dtessera.faults=long} or {@code -Dtessera.faults.full=true} (one switch for the whole suite). Only
 * counts and durations change, never what is asserted.
 */
final class FaultScale {

    static final boolean LONG = "long".equals(System.getProperty("tessera.faults", System.getenv("TESSERA_FAULTS")))
            || Boolean.getBoolean("tessera.faults.full");

    private FaultScale() {}

    static int pick(int ci, int full) {
        return LONG ? full : ci;
    }

    /** A count that one property can set alone ({@code -Dtessera.faults.publishes=N}); else {@link #pick}. */
    static int count(String property, int ci, int full) {
        return Integer.getInteger(property, pick(ci, full));
    }

    /** The seed of a generated run: {@code -Dtessera.faults.seed=N} replays one. */
    static long seed() {
        return Long.getLong("tessera.faults.seed", System.nanoTime());
    }
}
