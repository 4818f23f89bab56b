package io.tessera.query.projection;

import static io.tessera.events.deployment.DeploymentStatus.PENDING;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The consumer of {@code tessera.events}: records it cannot read or trust are set aside, the next applied. */
@QuerySideIntegrationTest
class EventsConsumerIT extends QuerySideTestBase {

    @Test
    void unreadableRecordsAreSkippedWithoutStallingTheConsumer() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.send(tenant, "{not json");
        kafka.send(tenant, "{\"type\":\"tessera.nothing.v1\"}");
        ObjectNode foreign = cloudEvent(
                tenant, "stolen", 0, time, new DeploymentCreated("someone-else", "stolen", "x", null, PENDING));
        kafka.send(tenant, foreign.toString());
        ObjectNode untagged =
                cloudEvent(tenant, "untagged", 0, time, new DeploymentCreated(tenant, "untagged", "x", null, PENDING));
        untagged.remove("tenantid");
        kafka.send(tenant, untagged.toString());
        kafka.publish(tenant, "dep-ok", 0, time, new DeploymentCreated(tenant, "dep-ok", "fine", null, PENDING));

        kafka.awaitOk(tenant, "/api/deployments/dep-ok");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments"))).containsExactly("dep-ok");
        assertThat(kafka.asViewer("someone-else", "/api/deployments/stolen").status())
                .isEqualTo(404);
    }
}
