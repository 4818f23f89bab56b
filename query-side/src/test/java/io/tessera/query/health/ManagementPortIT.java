package io.tessera.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.TestEvents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** {@code management.server.port} moves health and metrics off the API port; the API port then has neither. */
@QuerySideIntegrationTest
@TestPropertySource(properties = "management.server.port=0")
class ManagementPortIT {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestEvents.infrastructure(registry);
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPortOnly() {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(HealthAnswer.of(managementPort, "/actuator/health/liveness").status())
                .isEqualTo(200);
        assertThat(HealthAnswer.of(managementPort, "/actuator/prometheus").status())
                .isEqualTo(200);

        HealthAnswer onApiPort = HealthAnswer.of(port, "/actuator/health");
        assertThat(onApiPort.status()).isEqualTo(404);
        assertThat(onApiPort.body()).contains("\"NOT_FOUND\"");
    }
}
