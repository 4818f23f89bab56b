package io.tessera.command.axon;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Axon's meters reach {@code /actuator/prometheus}: the event store's, the command bus's and each processor's. */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
class AxonMetricsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    @Test
    void eventStoreCommandBusAndProcessorsAreMetered() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/deployments"))
                        .header("Authorization", "Bearer " + editor(tenant))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"project_name\": \"metered\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> axon = prometheus()
                    .lines()
                    .filter(line -> !line.startsWith("#"))
                    .filter(line -> line.startsWith("eventStore")
                            || line.startsWith("commandBus")
                            || line.startsWith("eventProcessor"))
                    .toList();
            assertThat(axon).anyMatch(line -> line.startsWith("eventStore") && !line.endsWith(" 0.0"));
            assertThat(axon).anyMatch(line -> line.startsWith("commandBus") && !line.endsWith(" 0.0"));
            assertThat(axon).anyMatch(line -> line.startsWith("eventProcessor") && line.contains("in-transaction"));
        });
    }

    private String prometheus() throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
