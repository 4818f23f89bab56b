package io.tessera.query.eventlog;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An event of one aggregate's history with its payload read back into its record (null for a type this build does
 * not know): what the state folds need, where a {@code LoggedEvent} carries the payload as the logged JSON text.
 */
record TypedEvent(long sequence, Instant time, Object payload) {

    /**
     * Folds the events, in sequence order, that had happened by {@code asOf}: it stops at the first one
     * after it, so the result is a state the aggregate really had. Null if none had happened.
     */
    static <S> S foldUntil(List<TypedEvent> events, Instant asOf, BiFunction<S, TypedEvent, S> step) {
        S state = null;
        for (TypedEvent event : events) {
            if (event.time().isAfter(asOf)) {
                break;
            }
            state = step.apply(state, event);
        }
        return state;
    }
}
