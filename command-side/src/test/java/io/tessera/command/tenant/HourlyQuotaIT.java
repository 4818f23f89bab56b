package io.tessera.command.tenant;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.command.CommandSideIntegrationTest;
import io.tessera.command.CommandSideTestBase;
import io.tessera.command.CommandSideTests;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The tenant's hourly creation quota under concurrent clients and beside another instance: exactly the quota
 * is accepted, the rest refused with {@code QUOTA_EXCEEDED}.
 */
@CommandSideIntegrationTest
class HourlyQuotaIT extends CommandSideTestBase {

    @Test
    void concurrentCreationsStopExactlyAtTheHourlyQuota() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            answers.add(
                    pool.submit(() -> post(tenant, token, "/api/deployments", Map.of("project_name", "p" + n), null)));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        assertThat(responses.stream().filter(r -> r.statusCode() == 202)).hasSize(100);
        List<HttpResponse<String>> refused =
                responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(refused).hasSize(100);
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(json.readTree(r.body()).at("/error/code").asText()).isEqualTo("QUOTA_EXCEEDED");
        });
        await().atMost(AWAIT)
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT count(*) FROM command_side.snapshot_event_entry WHERE aggregate_identifier = ?",
                                Integer.class,
                                tenant),
                        snapshots -> snapshots > 0);
    }

    /**
     * 200 clients at once on one tenant, so that its commands run in batches: still exactly the quota, each answer
     * remembered under its key, the tenant's stream without holes, and every 202's position its own event's.
     */
    @Test
    void twoHundredClientsAtOnceOnOneTenantStopExactlyAtTheHourlyQuota() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        int clients = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            answers.add(pool.submit(() -> {
                start.await();
                return post(tenant, token, "/api/deployments", Map.of("project_name", "p" + n), "key-" + n);
            }));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        List<HttpResponse<String>> accepted =
                responses.stream().filter(r -> r.statusCode() == 202).toList();
        assertThat(accepted).hasSize(100);
        assertThat(responses.stream().filter(r -> r.statusCode() == 429)).hasSize(100);
        Integer remembered = jdbc.queryForObject(
                "SELECT count(*) FROM command_side.command_log WHERE tenant_id = ?", Integer.class, tenant);
        assertThat(remembered).isEqualTo(clients);
        Map<String, Object> stream = jdbc.queryForMap(
                "SELECT count(*) AS events, max(sequence_number) AS last FROM command_side.domain_event_entry"
                        + " WHERE aggregate_identifier = ?",
                tenant);
        assertThat(((Number) stream.get("last")).longValue() + 1)
                .as("the tenant's sequence numbers have no holes")
                .isEqualTo(((Number) stream.get("events")).longValue());
        for (HttpResponse<String> response : accepted) {
            JsonNode data = json.readTree(response.body()).get("data");
            Long stored = jdbc.queryForObject(
                    "SELECT global_index FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class,
                    data.get("id").asText());
            assertThat(data.get("position").asLong()).isEqualTo(stored);
        }
    }

    /**
     * The tenant is kept in memory between commands; a creation stored meanwhile by another instance (here written
     * into its stream directly) is seen, so the quota counts it: the next creation is refused on the quota, not
     * decided on the stale count (which would have collided with the other instance's sequence number).
     */
    @Test
    void aCreationStoredByAnotherInstanceCountsAgainstTheQuotaOfTheTenantKeptInMemory() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        assertThat(post(tenant, token, "/api/deployments", Map.of("project_name", "first"), null)
                        .statusCode())
                .isEqualTo(202);
        HttpResponse<String> quotas = send(
                "platform",
                CommandSideTests.platformAdmin(),
                "PUT",
                "/api/tenants/" + tenant + "/quotas",
                Map.of("deployments_per_hour", 2, "workflows_per_hour", 2));
        assertThat(quotas.statusCode()).as(quotas.body()).isEqualTo(202);

        jdbc.update("""
                INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                    type, time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT ?, aggregate_identifier,
                       (SELECT max(sequence_number) + 1 FROM command_side.domain_event_entry
                        WHERE aggregate_identifier = ?),
                       type, time_stamp, payload_type, payload_revision, payload, meta_data
                FROM command_side.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%CreationQuotaConsumed'
                LIMIT 1
                """, UUID.randomUUID().toString(), tenant, tenant);

        HttpResponse<String> third = post(tenant, token, "/api/deployments", Map.of("project_name", "third"), null);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
        assertThat(json.readTree(third.body()).at("/error/code").asText()).isEqualTo("QUOTA_EXCEEDED");
    }
}
