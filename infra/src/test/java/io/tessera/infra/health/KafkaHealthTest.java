package io.tessera.infra.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Kafka that is not there: out of service (a probe bounded by the admin call's own timeout), no host named. */
class KafkaHealthTest {

    @Test
    void aClosedPortIsOutOfServiceWithoutNamingTheHost() throws IOException {
        KafkaHealth health = new KafkaHealth(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort()),
                Duration.ofMillis(500),
                Duration.ofMinutes(5));
        try {
            Health first = health.health();

            assertThat(first.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(first.getDetails()).containsEntry("cluster", "Kafka").containsKey("error");
            assertThat(first.getDetails().toString()).doesNotContain("127.0.0.1");
        } finally {
            health.destroy();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
