package io.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.events.audit.CommandRejected;
import io.tessera.events.client.ClientRegistered;
import io.tessera.events.client.ClientRevoked;
import io.tessera.events.deployment.CreateDeploymentPayload;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentCreatedV1;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.deployment.UpdateDeploymentPayload;
import io.tessera.events.intake.CommandEnvelope;
import io.tessera.events.intake.CommandResult;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.events.workflow.CreateWorkflowPayload;
import io.tessera.events.workflow.UpdateWorkflowPayload;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins the JSON of every command and event, as Jackson 2 (Axon, Kafka) and Jackson 3 (HTTP) write it.
 * A failure here means a consumer would break: add a new version and an upcaster instead of editing.
 */
class PublishedLanguageContractTest {

    private static final ObjectMapper JACKSON_2 = new ObjectMapper();
    private static final JsonMapper JACKSON_3 = JsonMapper.builder().build();
    /** What an encrypted e-mail looks like in UserCreated: still a JSON string (io.tessera.infra.pii). */
    private static final String ENVELOPE = "pii:v1:1:q1r5hW0bTjO2ZJ8xAaN0dDkM3sVdG3c1m4_-Xw9aQmFvZLk2yNb8";

    /** Beyond a 32-bit Integer: the position travels as a string, as the CloudEvents type system requires. */
    static final long POSITION_ABOVE_2_POW_31 = 4_294_967_301L;

    static final EventEnvelope ENVELOPE_OF_A_CREATION = EventEnvelope.of(
                    "e1",
                    "tessera.deployment.created.v2",
                    "2026-05-01T10:00:00.123Z",
                    "d1",
                    Map.of("tenant_id", "acme", "deployment_id", "d1", "name", "shop", "status", "pending"),
                    "acme",
                    12,
                    "alice",
                    "c1")
            .at(POSITION_ABOVE_2_POW_31);

    static final String PINNED_ENVELOPE = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/tessera/command-side\","
            + "\"type\":\"tessera.deployment.created.v2\",\"time\":\"2026-05-01T10:00:00.123Z\",\"subject\":\"d1\","
            + "\"datacontenttype\":\"application/json\","
            + "\"data\":{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"name\":\"shop\",\"status\":\"pending\"},"
            + "\"tenantid\":\"acme\",\"sequence\":\"0000000000000000012\",\"position\":\"4294967301\","
            + "\"actor\":\"alice\",\"commandid\":\"c1\"}";

    static Stream<Arguments> publishedLanguage() {
        Map<String, Object> config = Map.of("steps", 3);
        return Stream.of(
                pin(
                        new TenantCreated("acme", "Acme", "acme", TenantQuotas.DEFAULT),
                        "{\"tenant_id\":\"acme\",\"name\":\"Acme\",\"slug\":\"acme\",\"quotas\":{\"deployments_per_hour\":100,\"workflows_per_hour\":50}}"),
                pin(
                        new TenantQuotasChanged("acme", new TenantQuotas(5, 6)),
                        "{\"tenant_id\":\"acme\",\"quotas\":{\"deployments_per_hour\":5,\"workflows_per_hour\":6}}"),
                pin(
                        new CreationQuotaConsumed("acme", QuotaResource.DEPLOYMENT, "d1"),
                        "{\"tenant_id\":\"acme\",\"resource\":\"deployment\",\"resource_id\":\"d1\"}"),
                pin(new TenantSuspended("acme"), "{\"tenant_id\":\"acme\"}"),
                pin(new TenantReactivated("acme"), "{\"tenant_id\":\"acme\"}"),
                pin(new TenantOffboarded("acme"), "{\"tenant_id\":\"acme\"}"),
                pin(new TenantDataKeysShredded("acme"), "{\"tenant_id\":\"acme\"}"),
                pin(
                        new DeploymentCreatedV1("acme", "d1", "shop", null, DeploymentStatus.PENDING),
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"project_name\":\"shop\",\"url\":null,\"status\":\"pending\"}"),
                pin(
                        new DeploymentCreated("acme", "d1", "shop", null, DeploymentStatus.PENDING),
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"name\":\"shop\",\"url\":null,\"status\":\"pending\"}"),
                pin(
                        new CommandRejected(
                                "acme", "c1", "UpdateDeployment", "deployment", "d1", "CONFLICT", "cannot move"),
                        "{\"tenant_id\":\"acme\",\"command_id\":\"c1\",\"command_type\":\"UpdateDeployment\",\"resource_type\":\"deployment\",\"resource_id\":\"d1\",\"code\":\"CONFLICT\",\"reason\":\"cannot move\"}"),
                pin(
                        new ClientRegistered("acme", "acme.ci", List.of(Role.VIEWER, Role.EDITOR)),
                        "{\"tenant_id\":\"acme\",\"client_id\":\"acme.ci\",\"roles\":[\"viewer\",\"editor\"]}"),
                pin(new ClientRevoked("acme", "acme.ci"), "{\"tenant_id\":\"acme\",\"client_id\":\"acme.ci\"}"),
                pin(
                        new DeploymentStatusChanged("acme", "d1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING),
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"from\":\"pending\",\"to\":\"building\"}"),
                pin(
                        new DeploymentUrlChanged("acme", "d1", "https://x.example"),
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"url\":\"https://x.example\"}"),
                pin(
                        new DeploymentDeleted("acme", "d1", DeploymentStatus.ACTIVE),
                        "{\"tenant_id\":\"acme\",\"deployment_id\":\"d1\",\"last_status\":\"active\"}"),
                pin(
                        new WorkflowCreated("acme", "w1", "nightly", config, WorkflowStatus.DRAFT),
                        "{\"tenant_id\":\"acme\",\"workflow_id\":\"w1\",\"name\":\"nightly\",\"config\":{\"steps\":3},\"status\":\"draft\"}"),
                pin(
                        new WorkflowRenamed("acme", "w1", "daily"),
                        "{\"tenant_id\":\"acme\",\"workflow_id\":\"w1\",\"name\":\"daily\"}"),
                pin(
                        new WorkflowStatusChanged("acme", "w1", WorkflowStatus.ACTIVE, WorkflowStatus.PAUSED),
                        "{\"tenant_id\":\"acme\",\"workflow_id\":\"w1\",\"from\":\"active\",\"to\":\"paused\"}"),
                pin(
                        new WorkflowConfigChanged("acme", "w1", config),
                        "{\"tenant_id\":\"acme\",\"workflow_id\":\"w1\",\"config\":{\"steps\":3}}"),
                pin(
                        new WorkflowDeleted("acme", "w1", WorkflowStatus.ARCHIVED),
                        "{\"tenant_id\":\"acme\",\"workflow_id\":\"w1\",\"last_status\":\"archived\"}"),
                pin(
                        new UserCreated("acme", "u1", ENVELOPE, Role.VIEWER),
                        "{\"tenant_id\":\"acme\",\"user_id\":\"u1\",\"email\":\"" + ENVELOPE
                                + "\",\"role\":\"viewer\"}"),
                // Events stored before e-mails were encrypted carry the plain address in the same field.
                pin(
                        new UserCreated("acme", "u1", "ann@acme.example", Role.VIEWER),
                        "{\"tenant_id\":\"acme\",\"user_id\":\"u1\",\"email\":\"ann@acme.example\",\"role\":\"viewer\"}"),
                pin(new UserDeleted("acme", "u1"), "{\"tenant_id\":\"acme\",\"user_id\":\"u1\"}"),
                pin(ENVELOPE_OF_A_CREATION, PINNED_ENVELOPE),
                pin(
                        ENVELOPE_OF_A_CREATION.imported("2019-03-04T05:06:07Z"),
                        PINNED_ENVELOPE.substring(0, PINNED_ENVELOPE.length() - 1)
                                + ",\"importmode\":true,\"legacycreatedat\":\"2019-03-04T05:06:07Z\"}"),
                pin(
                        new CreateDeploymentPayload("shop", "https://shop.example"),
                        "{\"project_name\":\"shop\",\"url\":\"https://shop.example\"}"),
                pin(new UpdateDeploymentPayload("building", null), "{\"status\":\"building\",\"url\":null}"),
                pin(new CreateWorkflowPayload("nightly", config), "{\"name\":\"nightly\",\"config\":{\"steps\":3}}"),
                pin(
                        new UpdateWorkflowPayload(null, "active", null),
                        "{\"name\":null,\"status\":\"active\",\"config\":null}"),
                pin(
                        new CommandEnvelope("c1", "CreateDeployment", "acme", "jwt", Map.of("project_name", "shop")),
                        "{\"command_id\":\"c1\",\"type\":\"CreateDeployment\",\"tenant_id\":\"acme\",\"token\":\"jwt\",\"payload\":{\"project_name\":\"shop\"}}"),
                pin(
                        CommandResult.accepted("c1", "acme", "d1", 42),
                        "{\"command_id\":\"c1\",\"tenant_id\":\"acme\",\"status\":\"accepted\",\"id\":\"d1\",\"position\":42,\"error\":null}"),
                pin(
                        CommandResult.rejected("c1", "acme", "QUOTA_EXCEEDED", "over quota"),
                        "{\"command_id\":\"c1\",\"tenant_id\":\"acme\",\"status\":\"rejected\",\"id\":null,\"position\":null,\"error\":{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"over quota\"}}"));
    }

    private static Arguments pin(Object message, String json) {
        return Arguments.of(message.getClass().getSimpleName(), message, json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedLanguage")
    void jackson2WritesAndReadsThePinnedJson(String name, Object message, String json) throws Exception {
        assertThat(JACKSON_2.readTree(JACKSON_2.writeValueAsString(message))).isEqualTo(JACKSON_2.readTree(json));
        assertThat(JACKSON_2.readValue(json, message.getClass())).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedLanguage")
    void jackson3WritesAndReadsThePinnedJson(String name, Object message, String json) {
        assertThat(JACKSON_3.readTree(JACKSON_3.writeValueAsString(message))).isEqualTo(JACKSON_3.readTree(json));
        assertThat(JACKSON_3.readValue(json, message.getClass())).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedLanguage")
    void everyEventHasACloudEventsType(String name, Object message, String json) {
        boolean isEvent = !name.matches(".*Payload|Command(Envelope|Result)|EventEnvelope");
        if (isEvent) {
            assertThat(EventCatalog.typeOf(message.getClass())).matches("tessera\\.[a-z]+\\.[a-z-]+\\.v\\d+");
            assertThat(EventCatalog.classOf(EventCatalog.typeOf(message.getClass())))
                    .contains(message.getClass());
        }
    }

    @Test
    void envelopeCountersAreCloudEventsStrings() {
        assertThat(ENVELOPE_OF_A_CREATION.positionValue()).isEqualTo(POSITION_ABOVE_2_POW_31);
        assertThat(EventEnvelope.sequenceText(9)).isLessThan(EventEnvelope.sequenceText(10));
        assertThat(EventEnvelope.parseCounter("0000000000000000012")).hasValue(12);
        assertThat(EventEnvelope.parseCounter("9223372036854775807")).hasValue(Long.MAX_VALUE);
        for (String notACounter : new String[] {null, "", "-1", "+1", "1e3", "1.0", " 1", "9223372036854775808"}) {
            assertThat(EventEnvelope.parseCounter(notACounter)).as(notACounter).isEmpty();
        }
    }

    @Test
    void deploymentCreatedV1IsUpcastToV2KeepingEveryValue() {
        DeploymentCreatedV1 v1 = new DeploymentCreatedV1("acme", "d1", "shop", "https://x", DeploymentStatus.PENDING);

        assertThat(EventCatalog.upcast(v1))
                .isEqualTo(new DeploymentCreated("acme", "d1", "shop", "https://x", DeploymentStatus.PENDING));
        assertThat(EventCatalog.typeOf(DeploymentCreatedV1.class)).isEqualTo("tessera.deployment.created.v1");
        assertThat(EventCatalog.typeOf(DeploymentCreated.class)).isEqualTo("tessera.deployment.created.v2");
        assertThat(EventCatalog.revisionOf(DeploymentCreated.class)).isEqualTo("2");
        assertThat(EventCatalog.revisionOf(DeploymentCreatedV1.class)).isNull();
        assertThat(EventCatalog.upcast("not an event")).isEqualTo("not an event");
    }
}
