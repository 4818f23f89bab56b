package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * Time as the thing awaited: how long a fault lasts, the pace of a client, a back-off. Anything that waits for a
 * state polls that state with Awaitility instead.
 */
final class Pause {

    private static final Duration MARGIN = Duration.ofSeconds(5);

    private Pause() {}

    static void lasting(Duration duration) {
        await().pollInSameThread()
                .pollDelay(duration)
                .atMost(duration.plus(MARGIN))
                .until(() -> true);
    }
}
