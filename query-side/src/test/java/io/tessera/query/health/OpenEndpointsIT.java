package io.tessera.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents.Answer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** Health and metrics answer without a token; the API does not. */
@QuerySideIntegrationTest
class OpenEndpointsIT extends QuerySideTestBase {

    @Test
    void healthAndMetricsAreOpenButTheApiNeedsAToken() {
        assertThat(statusWithoutToken("/actuator/health")).isEqualTo(200);
        assertThat(statusWithoutToken("/actuator/prometheus")).isEqualTo(200);
        assertThat(statusWithoutToken("/api/deployments")).isEqualTo(401);
        Answer anonymous = kafka.get("not-a-token", "/api/deployments", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().at("/error/code").asString()).isEqualTo("UNAUTHENTICATED");
    }

    private int statusWithoutToken(String path) {
        return RestClient.create()
                .get()
                .uri(URI.create("http://localhost:" + port + path))
                .exchange((request, response) -> response.getStatusCode().value());
    }
}
