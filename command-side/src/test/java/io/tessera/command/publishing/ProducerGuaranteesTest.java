package io.tessera.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerGuaranteesTest {

    private static Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", "127.0.0.1:9");
        settings.put("key.serializer", StringSerializer.class);
        settings.put("value.serializer", StringSerializer.class);
        settings.putAll(extra);
        return settings;
    }

    @Test
    void ourSettingsGiveAcksAllAndIdempotence() {
        ProducerGuarantees guarantees = ProducerGuarantees.effective(settings(Map.of(
                        "acks", "all", "enable.idempotence", "true", "max.in.flight.requests.per.connection", "5")))
                .require();

        assertThat(guarantees.acksAll()).isTrue();
        assertThat(guarantees.idempotence()).isTrue();
    }

    @Test
    void retriesZeroSilentlyTurnsImplicitIdempotenceOffAndIsRefused() {
        ProducerGuarantees guarantees = ProducerGuarantees.effective(settings(Map.of("acks", "all", "retries", "0")));

        assertThat(guarantees.idempotence()).isFalse();
        assertThatThrownBy(guarantees::require).hasMessageContaining("idempotent");
    }

    @Test
    void tooManyRequestsInFlightAreRefused() {
        // Kafka 4 refuses this one itself, even with idempotence only implied.
        assertThatThrownBy(() -> ProducerGuarantees.effective(
                        settings(Map.of("acks", "all", "max.in.flight.requests.per.connection", "6"))))
                .hasMessageContaining("contradict");
    }

    @Test
    void explicitIdempotenceWithAConflictingSettingIsRefusedAtStartNotAtTheFirstSend() {
        assertThatThrownBy(
                        () -> ProducerGuarantees.effective(settings(Map.of("acks", "1", "enable.idempotence", "true"))))
                .hasMessageContaining("contradict");
    }

    @Test
    void acksOneIsRefused() {
        ProducerGuarantees guarantees =
                ProducerGuarantees.effective(settings(Map.of("acks", "1", "enable.idempotence", "false")));

        assertThatThrownBy(guarantees::require).hasMessageContaining("acks=all");
    }
}
