package io.tessera.command.intake;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.envelope;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.command.CommandSideIntegrationTest;
import io.tessera.command.CommandSideTestBase;
import io.tessera.events.Topics;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Commands answered once: an HTTP retry under the same idempotency key, a Kafka command and its redelivery,
 * an unreadable record dead-lettered, a foreign token rejected.
 */
@CommandSideIntegrationTest
class CommandAnswersIT extends CommandSideTestBase {

    @Test
    void idempotencyKeyRetryReturnsTheFirstAnswerAndChangesNothing() throws Exception {
        String tenant = newTenant();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "a"), key);
        HttpResponse<String> retry = post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "a"), key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(first.statusCode());
        assertThat(json.readTree(retry.body())).isEqualTo(json.readTree(first.body()));
        assertThat(eventsOfTenantStream(tenant)).isEqualTo(2); // provisioned + one creation counted
    }

    @Test
    void kafkaCommandIsAnsweredOnceAndItsRedeliveryChangesNothing() throws Exception {
        String tenant = newTenant();
        String commandId = UUID.randomUUID().toString();
        String envelope = envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "via-kafka"));

        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();
        List<JsonNode> first = await().atMost(AWAIT).until(() -> results().findAll(commandId), r -> r.size() == 1);
        assertThat(first.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(first.get(0).get("position").isNumber()).isTrue();
        int eventsBefore = eventsOfTenantStream(tenant);

        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();
        List<JsonNode> both = await().atMost(AWAIT).until(() -> results().findAll(commandId), r -> r.size() == 2);
        assertThat(both.get(1)).isEqualTo(both.get(0));
        assertThat(eventsOfTenantStream(tenant)).isEqualTo(eventsBefore);
    }

    @Test
    void unreadableRecordIsDeadLetteredAndTheNextIsProcessed() throws Exception {
        String tenant = newTenant();
        String garbage = "{not json " + UUID.randomUUID();
        String commandId = UUID.randomUUID().toString();

        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, garbage)).get();
        producer()
                .send(new ProducerRecord<>(
                        Topics.COMMANDS,
                        tenant,
                        envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "after-garbage"))))
                .get();

        ConsumerRecord<String, String> dead =
                await().atMost(AWAIT).until(() -> deadLetters().findRaw(garbage), found -> found != null);
        assertThat(dead.headers().lastHeader("x-tessera-dlq-reason")).isNotNull();
        List<JsonNode> answer = await().atMost(AWAIT).until(() -> results().findAll(commandId), r -> r.size() == 1);
        assertThat(answer.get(0).get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void kafkaCommandWithAForeignTokenIsRejected() throws Exception {
        String tenant = newTenant();
        String commandId = UUID.randomUUID().toString();
        String envelope = json.writeValueAsString(Map.of(
                "command_id",
                commandId,
                "type",
                "CreateDeployment",
                "tenant_id",
                tenant,
                "token",
                editor(newTenant()),
                "payload",
                Map.of("project_name", "x")));

        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();

        List<JsonNode> answer = await().atMost(AWAIT).until(() -> results().findAll(commandId), r -> r.size() == 1);
        assertThat(answer.get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get(0).at("/error/code").asText()).isEqualTo("TENANT_FORBIDDEN");
    }
}
