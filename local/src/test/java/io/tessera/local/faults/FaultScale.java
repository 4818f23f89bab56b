package io.tessera.local.faults;

/**
 * How much load a fault test applies: a short run by default (CI), the full one with {@code -Dtessera.faults=long}
 * or {@code TESSERA_FAULTS=long}. Only counts change, never what is asserted.
 */
final class FaultScale {

    static final boolean LONG = "long".equals(System.getProperty("tessera.faults", System.getenv("TESSERA_FAULTS")));

    private FaultScale() {}

    static int pick(int ci, int full) {
        return LONG ? full : ci;
    }

    /** The seed of a generated run: {@code -Dtessera.faults.seed=N} replays one. */
    static long seed() {
        return Long.getLong("tessera.faults.seed", System.nanoTime());
    }
}
