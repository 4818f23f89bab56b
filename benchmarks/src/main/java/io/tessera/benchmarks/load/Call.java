package io.tessera.benchmarks.load;

/** One request of a scenario; made once per worker and reused, so it may keep state (a cursor, a connection). */
public interface Call extends AutoCloseable {

    /** What came back: counted as a success, an expected refusal (a 429 the scenario asked for) or an error. */
    enum Outcome {
        OK,
        REFUSED,
        ERROR,
        /** Nothing left to send: a closed-loop client stops. */
        DONE
    }

    Outcome call() throws Exception;

    @Override
    default void close() throws Exception {}

    static Outcome ok(boolean success) {
        return success ? Outcome.OK : Outcome.ERROR;
    }
}
