package io.tessera.query.eventlog;

import static io.tessera.events.deployment.DeploymentStatus.PENDING;
import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.actions;
import static io.tessera.query.TestEvents.assertForbidden;
import static io.tessera.query.TestEvents.assertNotFound;
import static io.tessera.query.TestEvents.assertTenantForbidden;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.deploymentCreated;
import static io.tessera.query.TestEvents.newTenant;
import static io.tessera.query.TestEvents.positions;
import static io.tessera.query.TestEvents.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.user.Role;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents.Answer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The event log, the audit and the histories read through HTTP, each held to its tenant. */
@QuerySideIntegrationTest
class EventLogIT extends QuerySideTestBase {

    @Test
    void eventLogReplaysTheTenantsEventsOnceInPositionOrder() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        DeploymentStatusChanged building =
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.BUILDING);
        List<Long> positions = new ArrayList<>();
        positions.add(kafka.publish(
                cloudEvent(tenant, "platform", tenant, 0, time, new TenantCreated(tenant, "T", tenant, null))));
        ObjectNode created = cloudEvent(
                tenant, "alice", "dep-1", 0, time, new DeploymentCreated(tenant, "dep-1", "shop", null, PENDING));
        positions.add(kafka.publish(created));
        positions.add(kafka.publish(cloudEvent(tenant, "bob", "dep-1", 1, time.plusSeconds(1), building)));
        kafka.publish(created);
        kafka.publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        positions.add(kafka.publish(cloudEvent(
                tenant,
                "alice",
                "dep-1",
                2,
                time.plusSeconds(2),
                new DeploymentUrlChanged(tenant, "dep-1", "https://shop"))));
        positions.add(kafka.publish(
                cloudEvent(tenant, "alice", "marker", 0, time.plusSeconds(3), deploymentCreated(tenant, "marker"))));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(kafka.as(Role.AUDITOR, tenant, "/api/events")))
                        .endsWith(positions.get(4)));

        Answer all = kafka.as(Role.AUDITOR, tenant, "/api/events");
        assertThat(positions(all)).containsExactlyElementsOf(positions);
        assertThat(all.body().at("/pagination/total").asLong()).isEqualTo(5);
        assertThat(all.body().at("/pagination/per_page").asInt()).isEqualTo(100);
        assertThat(all.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(all.body().at("/pagination/cursor").isNull()).isTrue();
        assertThat(all.headers().getFirst("X-Next-After-Position"))
                .isEqualTo(positions.get(4).toString());
        JsonNode first = all.body().at("/data/1");
        assertThat(first.get("id").asString()).isEqualTo(created.get("id").asString());
        assertThat(first.get("type").asString()).isEqualTo("tessera.deployment.created.v2");
        assertThat(first.get("subject").asString()).isEqualTo("dep-1");
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(Instant.parse(first.get("time").asString())).isEqualTo(time);
        assertThat(first.get("actor").asString()).isEqualTo("alice");
        assertThat(first.get("command_id").asString())
                .isEqualTo(created.get("commandid").asString());
        assertThat(first.at("/data/name").asString()).isEqualTo("shop");
        assertThat(first.at("/data/tenant_id").asString()).isEqualTo(tenant);

        Answer page1 = kafka.as(Role.AUDITOR, tenant, "/api/events?limit=2");
        assertThat(positions(page1)).containsExactlyElementsOf(positions.subList(0, 2));
        assertThat(page1.body().at("/pagination/has_next").asBoolean()).isTrue();
        String cursor = page1.body().at("/pagination/cursor").asString();
        assertThat(cursor).isEqualTo(positions.get(1).toString());
        assertThat(page1.headers().getFirst("X-Next-After-Position")).isEqualTo(cursor);
        Answer page2 = kafka.as(Role.AUDITOR, tenant, "/api/events?limit=2&after_position=" + cursor);
        assertThat(positions(page2)).containsExactlyElementsOf(positions.subList(2, 4));
        assertThat(page2.body().at("/pagination/has_prev").asBoolean()).isTrue();
        Answer page3 = kafka.as(
                Role.AUDITOR,
                tenant,
                "/api/events?limit=2&cursor="
                        + page2.body().at("/pagination/cursor").asString());
        assertThat(positions(page3)).containsExactly(positions.get(4));
        assertThat(page3.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(page3.body().at("/pagination/cursor").isNull()).isTrue();
        Answer beyond = kafka.as(Role.AUDITOR, tenant, "/api/events?after_position=" + positions.get(4));
        assertThat(positions(beyond)).isEmpty();
        assertThat(beyond.headers().getFirst("X-Next-After-Position"))
                .isEqualTo(positions.get(4).toString());

        assertThat(kafka.as(Role.AUDITOR, tenant, "/api/events?limit=5000")
                        .body()
                        .at("/pagination/per_page")
                        .asInt())
                .isEqualTo(1000);
        for (String bad : List.of("after_position=-1", "after_position=soon", "limit=0", "after_position=1&cursor=2")) {
            Answer refused = kafka.as(Role.AUDITOR, tenant, "/api/events?" + bad);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().at("/error/code").asString()).isEqualTo("VALIDATION_FAILED");
        }
        assertForbidden(kafka.as(Role.VIEWER, tenant, "/api/events"));
        assertForbidden(kafka.as(Role.ADMIN, tenant, "/api/events"));
    }

    @Test
    void auditTellsAuditorsWhoDidWhatNewestFirst() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        kafka.publish(cloudEvent(tenant, "platform", tenant, 0, time, new TenantCreated(tenant, "T", tenant, null)));
        ObjectNode quota = cloudEvent(
                tenant,
                "alice",
                tenant,
                1,
                time.plusSeconds(1),
                new CreationQuotaConsumed(tenant, QuotaResource.DEPLOYMENT, "dep-1"));
        ObjectNode created = cloudEvent(
                tenant,
                "alice",
                "dep-1",
                0,
                time.plusSeconds(1),
                new DeploymentCreated(tenant, "dep-1", "shop", null, PENDING));
        created.put("commandid", quota.get("commandid").asString());
        kafka.publish(quota);
        kafka.publish(created);
        kafka.publish(cloudEvent(
                tenant,
                "bob",
                "dep-1",
                1,
                time.plusSeconds(2),
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.BUILDING)));
        long last = kafka.publish(cloudEvent(
                tenant,
                "bob",
                "wf-1",
                0,
                time.plusSeconds(3),
                new WorkflowCreated(tenant, "wf-1", "nightly", Map.of(), WorkflowStatus.DRAFT)));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(kafka.as(Role.AUDITOR, tenant, "/api/events")))
                        .endsWith(last));

        Answer audit = kafka.as(Role.AUDITOR, tenant, "/api/audit");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(actions(audit))
                .containsExactly(
                        "workflow.created", "deployment.status-changed", "deployment.created", "tenant.created");
        assertThat(audit.body().at("/pagination/total").asLong()).isEqualTo(4);
        JsonNode creation = audit.body().at("/data/2");
        assertThat(creation.get("actor").asString()).isEqualTo("alice");
        assertThat(creation.get("resource_type").asString()).isEqualTo("deployment");
        assertThat(creation.get("resource_id").asString()).isEqualTo("dep-1");
        assertThat(creation.get("command_id").asString())
                .isEqualTo(created.get("commandid").asString());
        assertThat(creation.get("outcome").asString()).isEqualTo("accepted");
        assertThat(Instant.parse(creation.get("time").asString())).isEqualTo(time.plusSeconds(1));

        assertThat(actions(kafka.as(Role.AUDITOR, tenant, "/api/audit?actor=alice")))
                .containsExactly("deployment.created");
        assertThat(actions(kafka.as(Role.AUDITOR, tenant, "/api/audit?resource_id=dep-1")))
                .containsExactly("deployment.status-changed", "deployment.created");
        assertThat(actions(kafka.as(Role.AUDITOR, tenant, "/api/audit?from=" + time.plusSeconds(2))))
                .containsExactly("workflow.created", "deployment.status-changed");
        assertThat(actions(kafka.as(Role.AUDITOR, tenant, "/api/audit?to=" + time.plusSeconds(2))))
                .containsExactly("deployment.created", "tenant.created");

        List<String> walked = new ArrayList<>();
        Answer page = kafka.as(Role.AUDITOR, tenant, "/api/audit?limit=1");
        while (true) {
            walked.addAll(actions(page));
            JsonNode cursor = page.body().at("/pagination/cursor");
            if (cursor.isNull()) {
                break;
            }
            assertThat(walked).hasSizeLessThan(4);
            page = kafka.as(Role.AUDITOR, tenant, "/api/audit?limit=1&cursor=" + cursor.asString());
        }
        assertThat(walked).containsExactlyElementsOf(actions(audit));
        String cursor = kafka.as(Role.AUDITOR, tenant, "/api/audit?limit=1")
                .body()
                .at("/pagination/cursor")
                .asString();
        assertThat(kafka.as(Role.AUDITOR, tenant, "/api/audit?actor=bob&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(kafka.as(Role.AUDITOR, newTenant(), "/api/audit?cursor=" + cursor)
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(kafka.as(Role.AUDITOR, tenant, "/api/audit?from=yesterday").status())
                .isEqualTo(400);
        assertForbidden(kafka.as(Role.VIEWER, tenant, "/api/audit"));
        assertForbidden(kafka.as(Role.EDITOR, tenant, "/api/audit"));
    }

    @Test
    void historyGivesTheEventsAndTheStateAsOfATime() {
        String tenant = newTenant();
        Instant t0 = Instant.parse("2024-06-01T08:00:00Z");
        kafka.publish(tenant, "dep-1", 0, t0, new DeploymentCreated(tenant, "dep-1", "shop", "https://old", PENDING));
        kafka.publish(
                tenant,
                "dep-1",
                1,
                t0.plusSeconds(10),
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.BUILDING));
        kafka.publish(tenant, "dep-1", 2, t0.plusSeconds(20), new DeploymentUrlChanged(tenant, "dep-1", "https://new"));
        kafka.publish(
                tenant,
                "dep-1",
                3,
                t0.plusSeconds(30),
                new DeploymentStatusChanged(tenant, "dep-1", DeploymentStatus.BUILDING, DeploymentStatus.ACTIVE));
        kafka.publish(
                tenant,
                "dep-1",
                4,
                t0.plusSeconds(40),
                new DeploymentDeleted(tenant, "dep-1", DeploymentStatus.ACTIVE));
        kafka.publish(
                tenant,
                "wf-1",
                0,
                t0,
                new WorkflowCreated(tenant, "wf-1", "old name", Map.of("a", 1), WorkflowStatus.DRAFT));
        kafka.publish(tenant, "wf-1", 1, t0.plusSeconds(10), new WorkflowRenamed(tenant, "wf-1", "new name"));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/workflows/wf-1/history")
                                .body()
                                .at("/data/events")
                                .size())
                        .isEqualTo(2));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/deployments/dep-1/history")
                                .body()
                                .at("/data/events")
                                .size())
                        .isEqualTo(5));

        JsonNode now =
                kafka.asViewer(tenant, "/api/deployments/dep-1/history").body().get("data");
        assertThat(now.get("id").asString()).isEqualTo("dep-1");
        List<Long> sequences = new ArrayList<>();
        now.get("events").forEach(event -> sequences.add(event.get("sequence").asLong()));
        assertThat(sequences).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(now.at("/state/status").asString()).isEqualTo("active");
        assertThat(now.at("/state/deleted").asBoolean()).isTrue();
        JsonNode earlier = kafka.asViewer(tenant, "/api/deployments/dep-1/history?as_of=" + t0.plusSeconds(25))
                .body()
                .get("data");
        assertThat(Instant.parse(earlier.get("as_of").asString())).isEqualTo(t0.plusSeconds(25));
        assertThat(earlier.at("/state/id").asString()).isEqualTo("dep-1");
        assertThat(earlier.at("/state/project_name").asString()).isEqualTo("shop");
        assertThat(earlier.at("/state/status").asString()).isEqualTo("building");
        assertThat(earlier.at("/state/url").asString()).isEqualTo("https://new");
        assertThat(earlier.at("/state/deleted").asBoolean()).isFalse();
        assertThat(Instant.parse(earlier.at("/state/created_at").asString())).isEqualTo(t0);
        assertThat(Instant.parse(earlier.at("/state/updated_at").asString())).isEqualTo(t0.plusSeconds(20));
        assertThat(earlier.get("events").size()).isEqualTo(5);
        JsonNode beforeCreation = kafka.asViewer(tenant, "/api/deployments/dep-1/history?as_of=2024-01-01")
                .body()
                .get("data");
        assertThat(beforeCreation.get("state").isNull()).isTrue();
        assertThat(kafka.asViewer(tenant, "/api/workflows/wf-1/history?as_of=" + t0.plusSeconds(5))
                        .body()
                        .at("/data/state/name")
                        .asString())
                .isEqualTo("old name");
        assertThat(kafka.asViewer(tenant, "/api/workflows/wf-1/history")
                        .body()
                        .at("/data/state/config/a")
                        .asInt())
                .isEqualTo(1);

        assertThat(kafka.asViewer(tenant, "/api/deployments/dep-1/history?as_of=soon")
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
        assertNotFound(kafka.asViewer(tenant, "/api/deployments/no-such-deployment/history"));
        assertNotFound(kafka.asViewer(tenant, "/api/workflows/dep-1/history"));
        assertForbidden(kafka.as(Role.AUDITOR, tenant, "/api/deployments/dep-1/history"));
    }

    @Test
    void anotherTenantSeesNothingOfTheEventLogTheAuditOrHistories() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        kafka.publish(cloudEvent(
                tenantA,
                "alice",
                "secret-dep",
                0,
                time,
                new DeploymentCreated(tenantA, "secret-dep", "secret", null, PENDING)));
        long bPosition = kafka.publish(
                cloudEvent(tenantB, "bob", tenantB, 0, time, new TenantCreated(tenantB, "B", tenantB, null)));
        kafka.awaitOk(tenantA, "/api/deployments/secret-dep/history");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(kafka.as(Role.AUDITOR, tenantB, "/api/events")))
                        .containsExactly(bPosition));

        Answer events = kafka.as(Role.AUDITOR, tenantB, "/api/events?after_position=0");
        assertThat(events.body().at("/pagination/total").asLong()).isEqualTo(1);
        assertThat(events.body().toString()).doesNotContain("secret").doesNotContain(tenantA);
        assertThat(actions(kafka.as(Role.AUDITOR, tenantB, "/api/audit"))).containsExactly("tenant.created");
        assertThat(actions(kafka.as(Role.AUDITOR, tenantB, "/api/audit?resource_id=secret-dep")))
                .isEmpty();
        assertThat(actions(kafka.as(Role.AUDITOR, tenantB, "/api/audit?actor=alice")))
                .isEmpty();
        Answer foreign = kafka.asViewer(tenantB, "/api/deployments/secret-dep/history");
        Answer unknown = kafka.asViewer(tenantB, "/api/deployments/no-such-deployment/history");
        assertNotFound(foreign);
        assertThat(foreign.body()).isEqualTo(unknown.body());
        assertThat(foreign.body().toString()).doesNotContain(tenantA);
        assertTenantForbidden(kafka.get(token(tenantB, Role.AUDITOR), "/api/events", Map.of("X-Tenant-ID", tenantA)));
    }
}
