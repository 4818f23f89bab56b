package io.tessera.query.paging;

import static io.tessera.events.deployment.DeploymentStatus.PENDING;
import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents.Answer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Listings on real tables: keyset cursors that walk every row once, refused for another tenant or filter,
 * and the tenant-led indexes they run on.
 */
@QuerySideIntegrationTest
class KeysetListingIT extends QuerySideTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void cursorWalkReturnsEveryDeploymentExactlyOnceInOrder() {
        String tenant = newTenant();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<String[]> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = "dep-" + UUID.randomUUID();
            Instant created = base.plusSeconds(i / 3);
            expected.add(new String[] {created.toString(), id});
            kafka.send(cloudEvent(
                    tenant, id, 0, created, new DeploymentCreated(tenant, id, "project " + i, null, PENDING)));
        }
        kafka.flush();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/deployments?per_page=1")
                                .body()
                                .at("/pagination/total")
                                .asLong())
                        .isEqualTo(1000));
        Comparator<String[]> byCreatedThenId = Comparator.<String[], Instant>comparing(e -> Instant.parse(e[0]))
                .thenComparing(e -> e[1]);
        List<String> newestFirst = expected.stream()
                .sorted(byCreatedThenId.reversed())
                .map(e -> e[1])
                .toList();
        List<String> oldestFirst =
                expected.stream().sorted(byCreatedThenId).map(e -> e[1]).toList();

        assertThat(walk(tenant, "/api/deployments?limit=100")).containsExactlyElementsOf(newestFirst);
        assertThat(walk(tenant, "/api/deployments?sort=created_at&limit=77")).containsExactlyElementsOf(oldestFirst);

        Answer lastPage = kafka.asViewer(tenant, "/api/deployments?page=10&per_page=100");
        assertThat(lastPage.body().at("/pagination/total").asLong()).isEqualTo(1000);
        assertThat(lastPage.body().at("/pagination/total_pages").asLong()).isEqualTo(10);
        assertThat(lastPage.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(lastPage.body().at("/pagination/has_prev").asBoolean()).isTrue();
        assertThat(ids(lastPage)).containsExactlyElementsOf(newestFirst.subList(900, 1000));
        Answer capped = kafka.asViewer(tenant, "/api/deployments?per_page=500");
        assertThat(capped.body().at("/pagination/per_page").asInt()).isEqualTo(100);
        assertThat(capped.body().get("data").size()).isEqualTo(100);
        assertThat(capped.body().at("/pagination/total_pages").asLong()).isEqualTo(10);
    }

    @Test
    void cursorOfAnotherTenantOrAnotherFilterIsRefused() {
        String tenant = newTenant();
        String other = newTenant();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            kafka.publish(
                    tenant,
                    "d" + i,
                    0,
                    base.plusSeconds(i),
                    new DeploymentCreated(tenant, "d" + i, "p", null, PENDING));
        }
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/deployments")
                                .body()
                                .at("/pagination/total")
                                .asLong())
                        .isEqualTo(3));
        String cursor = kafka.asViewer(tenant, "/api/deployments?limit=1")
                .body()
                .at("/pagination/cursor")
                .asString();
        assertThat(cursor).isNotBlank();
        assertThat(kafka.asViewer(tenant, "/api/deployments?cursor=" + cursor).status())
                .isEqualTo(200);

        Answer otherTenant = kafka.asViewer(other, "/api/deployments?cursor=" + cursor);
        assertThat(otherTenant.status()).isEqualTo(400);
        assertThat(otherTenant.body().at("/error/code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(kafka.asViewer(tenant, "/api/deployments?status=pending&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(kafka.asViewer(tenant, "/api/deployments?sort=created_at&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(kafka.asViewer(tenant, "/api/workflows?cursor=" + cursor).status())
                .isEqualTo(400);
        assertThat(kafka.asViewer(tenant, "/api/deployments?cursor=x" + cursor).status())
                .isEqualTo(400);
    }

    @Test
    void migrationsCreateTenantLedIndexes() {
        List<String> indexes = jdbc.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'query_side'")
                .query(String.class)
                .list();

        assertThat(indexes)
                .anySatisfy(index -> assertThat(index)
                        .contains("deployments_by_created")
                        .contains("(tenant_id, created_at DESC, id DESC)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("workflows_by_status")
                        .contains("(tenant_id, status, created_at DESC, id DESC)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("deployments_project_name_trgm")
                        .contains("gin"))
                .anySatisfy(
                        index -> assertThat(index).contains("event_log_pkey").contains("(tenant_id, \"position\")"))
                .anySatisfy(index ->
                        assertThat(index).contains("event_log_event_id").contains("(tenant_id, event_id)"))
                .anySatisfy(index ->
                        assertThat(index).contains("event_log_stream").contains("(tenant_id, subject, sequence)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("event_log_by_actor")
                        .contains("(tenant_id, actor, \"position\" DESC)"));
    }

    private List<String> walk(String tenant, String firstPage) {
        List<String> seen = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        Answer page = kafka.asViewer(tenant, firstPage);
        String separator = firstPage.contains("?") ? "&" : "?";
        while (true) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().at("/pagination/total").asLong()).isEqualTo(1000);
            seen.addAll(ids(page));
            JsonNode cursor = page.body().at("/pagination/cursor");
            if (cursor.isNull()) {
                assertThat(page.body().at("/pagination/has_next").asBoolean()).isFalse();
                return seen;
            }
            assertThat(cursors.add(cursor.asString())).isTrue();
            assertThat(cursors).hasSizeLessThanOrEqualTo(20);
            page = kafka.asViewer(tenant, firstPage + separator + "cursor=" + cursor.asString());
            assertThat(page.body().at("/pagination/has_prev").asBoolean()).isTrue();
        }
    }
}
