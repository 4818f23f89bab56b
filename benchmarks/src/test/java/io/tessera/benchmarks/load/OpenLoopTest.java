package io.tessera.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arrival-rate scheduler on a fake clock: one worker, so every figure is exact. */
class OpenLoopTest {

    private final FakeTicker ticker = new FakeTicker();

    private Call taking(Duration service) {
        return () -> {
            ticker.work(service);
            return Call.Outcome.OK;
        };
    }

    @Test
    void sendsExactlyWhatTheRateAndDurationSchedule() throws Exception {
        Recording recording = new OpenLoop(ticker, 1, Duration.ofSeconds(10))
                .run("fast", 100, Duration.ofSeconds(1), () -> taking(Duration.ofMillis(5)));

        assertThat(recording.count()).isEqualTo(100);
        assertThat(recording.errors()).isZero();
        assertThat(recording.millisAt(99)).isCloseTo(5, within(0.01));
        assertThat(recording.targetRate()).isEqualTo(100);
    }

    @Test
    void measuresFromTheDueTimeSoAQueueShowsInsteadOfBeingOmitted() throws Exception {
        // 20 ms of service at 100/s: each request waits for the ones before it; request i is due at 10i ms,
        // sent at 20i ms, back at 20(i+1) ms: latency 10i + 20 ms, although every call takes 20 ms.
        Recording recording = new OpenLoop(ticker, 1, Duration.ofSeconds(10))
                .run("slow", 100, Duration.ofSeconds(1), () -> taking(Duration.ofMillis(20)));

        assertThat(recording.count()).isEqualTo(100);
        assertThat(recording.maxMillis()).isCloseTo(1010, within(2.0));
        assertThat(recording.millisAt(50)).isCloseTo(510, within(2.0));
        assertThat(recording.throughput()).isCloseTo(50, within(0.5));
    }

    @Test
    void countsWhatItCouldNotSendWithinTheDrainAsErrors() throws Exception {
        Recording recording = new OpenLoop(ticker, 1, Duration.ZERO)
                .run("stalled", 100, Duration.ofSeconds(1), () -> taking(Duration.ofMillis(100)));

        assertThat(recording.count() + recording.errors()).isEqualTo(100);
        assertThat(recording.count()).isEqualTo(11);
        assertThat(recording.errors()).isEqualTo(89);
    }

    @Test
    void refusalsAreNeitherLatenciesNorErrors() throws Exception {
        Recording recording = new OpenLoop(ticker, 1, Duration.ofSeconds(1))
                .run("refused", 10, Duration.ofSeconds(1), () -> () -> Call.Outcome.REFUSED);

        assertThat(recording.refused()).isEqualTo(10);
        assertThat(recording.count()).isZero();
        assertThat(recording.errors()).isZero();
    }

    @Test
    void schedulesAtLeastOneRequest() {
        assertThat(OpenLoop.scheduled(0.1, Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(OpenLoop.scheduled(25, Duration.ofSeconds(10))).isEqualTo(250);
    }

    @Test
    void aClosedLoopSendsBackToBackAndStopsWhenToldDone() throws Exception {
        Recording timed =
                new ClosedLoop(ticker).run("closed", 1, Duration.ofSeconds(1), () -> taking(Duration.ofMillis(10)));
        assertThat(timed.count()).isEqualTo(100);
        assertThat(timed.throughput()).isCloseTo(100, within(0.5));

        int[] left = {3};
        Recording done = new ClosedLoop(ticker).run("until done", 1, Duration.ofSeconds(1), () -> () -> {
            ticker.work(Duration.ofMillis(1));
            return left[0]-- > 0 ? Call.Outcome.OK : Call.Outcome.DONE;
        });
        assertThat(done.count()).isEqualTo(3);
    }
}
