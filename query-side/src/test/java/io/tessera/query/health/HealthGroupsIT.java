package io.tessera.query.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.TestEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Readiness asks the database, Kafka and the projections' lag; liveness asks nothing; both without a token. */
@QuerySideIntegrationTest
@TestPropertySource(properties = "management.endpoint.health.show-details=always")
class HealthGroupsIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestEvents.infrastructure(registry);
    }

    @Test
    void readinessCountsKafkaAndTheProjectionsLagWhileLivenessChecksNoDependency() {
        HealthAnswer readiness = await().atMost(Duration.ofSeconds(60))
                .until(() -> HealthAnswer.of(port, "/actuator/health/readiness"), answer -> answer.status() == 200);
        assertThat(readiness.components())
                .containsEntry("db", "UP")
                .containsEntry("kafka", "UP")
                .containsEntry("readinessState", "UP")
                .containsKey("projection");
        assertThat(readiness.components().get("projection")).isIn("UP", "UNKNOWN");

        HealthAnswer liveness = HealthAnswer.of(port, "/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.components()).containsOnlyKeys("livenessState");

        HealthAnswer whole = HealthAnswer.of(port, "/actuator/health");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.components()).containsKeys("db", "kafka", "projection");
    }
}
