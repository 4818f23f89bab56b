package io.tessera.command.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CreationWindowTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void countsCreationsUntilTheirMinuteIsAnHourOld() {
        CreationWindow window = new CreationWindow();
        window.add(T0);
        window.add(T0.plusSeconds(59));
        window.add(T0.plusSeconds(60));

        assertThat(window.count(T0.plus(Duration.ofMinutes(59)).plusSeconds(59)))
                .isEqualTo(3);
        assertThat(window.count(T0.plus(Duration.ofMinutes(60)))).isEqualTo(1);
        assertThat(window.count(T0.plus(Duration.ofMinutes(61)))).isZero();
    }

    @Test
    void aSlotIsReusedAnHourLaterAndKeepsOnlyTheNewMinute() {
        CreationWindow window = new CreationWindow();
        window.add(T0);
        window.add(T0);
        window.add(T0.plus(Duration.ofMinutes(60)));

        assertThat(window.count(T0.plus(Duration.ofMinutes(60)))).isEqualTo(1);
    }

    @Test
    void aCreationAnHourBehindTheSlotsMinuteIsNotCounted() {
        CreationWindow window = new CreationWindow();
        window.add(T0.plus(Duration.ofMinutes(60)));
        window.add(T0);

        assertThat(window.count(T0.plus(Duration.ofMinutes(60)))).isEqualTo(1);
    }

    @Test
    void theOldestCountedMinuteSaysWhenRoomComesBack() {
        CreationWindow window = new CreationWindow();
        window.add(T0.plusSeconds(30));
        window.add(T0.plus(Duration.ofMinutes(5)));

        assertThat(window.untilOldestLeaves(T0.plus(Duration.ofMinutes(20)))).contains(Duration.ofMinutes(40));
        assertThat(window.untilOldestLeaves(T0.plus(Duration.ofMinutes(61)))).contains(Duration.ofMinutes(4));
        assertThat(new CreationWindow().untilOldestLeaves(T0)).isEmpty();
    }

    @Test
    void stateHasTheSameSizeWhateverTheRate() throws Exception {
        CreationWindow window = new CreationWindow();
        for (int i = 0; i < 10_000; i++) {
            window.add(T0.plusMillis(i * 360L));
        }

        assertThat(window.count(T0.plus(Duration.ofMinutes(59)))).isEqualTo(10_000);
        byte[] snapshot = io.tessera.command.Json.newMapper()
                .setVisibility(
                        com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                        com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
                .writeValueAsBytes(window);
        assertThat(snapshot.length).isLessThan(2_000);
    }
}
