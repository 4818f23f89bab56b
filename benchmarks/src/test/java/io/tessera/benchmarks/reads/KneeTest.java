package io.tessera.benchmarks.reads;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.benchmarks.load.Recording;
import org.junit.jupiter.api.Test;

class KneeTest {

    private static Recording step(double rate, long done, long errors, long latencyMicros) {
        Recording recording = new Recording("step", rate);
        for (long i = 0; i < done; i++) {
            recording.recordNanos(latencyMicros * 1000);
        }
        for (long i = 0; i < errors; i++) {
            recording.error();
        }
        recording.finish(1_000_000_000L);
        return recording;
    }

    @Test
    void aStepThatKeepsUpIsBelowTheKnee() {
        assertThat(ReadScenario.beyondKnee(step(100, 100, 0, 20_000))).isFalse();
    }

    @Test
    void fallingBehindTooManyErrorsOrASlowP95IsPastIt() {
        assertThat(ReadScenario.beyondKnee(step(100, 80, 0, 20_000))).isTrue();
        assertThat(ReadScenario.beyondKnee(step(100, 97, 3, 20_000))).isTrue();
        assertThat(ReadScenario.beyondKnee(step(100, 100, 0, 600_000))).isTrue();
    }
}
