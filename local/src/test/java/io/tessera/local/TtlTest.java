package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TtlTest {

    @Test
    void readsSecondsMinutesHoursAndDays() {
        assertThat(Ttl.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Ttl.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Ttl.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Ttl.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesWhatIsNotALifetime() {
        for (String text : new String[] {"", "0h", "-1h", "1w", "h", "1.5h", "1 h"}) {
            assertThatThrownBy(() -> Ttl.parse(text)).as(text).isInstanceOf(UsageException.class);
        }
    }
}
