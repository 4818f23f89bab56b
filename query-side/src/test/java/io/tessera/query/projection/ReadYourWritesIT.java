package io.tessera.query.projection;

import static io.tessera.query.TestEvents.deploymentCreated;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents.Answer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Min-Position}: a read waits until the tenant's projections have applied the position it names, within
 * {@code tessera.query.min-position-timeout}.
 */
@QuerySideIntegrationTest
class ReadYourWritesIT extends QuerySideTestBase {

    @Test
    void minPositionHeaderReadsYourWrites() {
        String tenant = newTenant();
        kafka.publish(tenant, "d0", 0, Instant.parse("2024-03-01T00:00:00Z"), deploymentCreated(tenant, "d0"));
        kafka.awaitOk(tenant, "/api/deployments/d0");
        for (int i = 1; i <= 5; i++) {
            long position = kafka.publish(
                    tenant, "d" + i, 0, Instant.parse("2024-03-01T00:00:00Z"), deploymentCreated(tenant, "d" + i));

            Answer read =
                    kafka.asViewer(tenant, "/api/deployments/d" + i, Map.of("X-Min-Position", Long.toString(position)));

            assertThat(read.status()).isEqualTo(200);
        }
        Answer tooFar =
                kafka.asViewer(tenant, "/api/deployments", Map.of("X-Min-Position", Long.toString(Long.MAX_VALUE / 2)));
        assertThat(tooFar.status()).isEqualTo(503);
        assertThat(tooFar.body().at("/error/code").asString()).isEqualTo("UNAVAILABLE");
        assertThat(tooFar.retryAfter()).isNotBlank();
        assertThat(kafka.asViewer(tenant, "/api/deployments", Map.of("X-Min-Position", "soon"))
                        .status())
                .isEqualTo(400);
    }
}
