package io.tessera.command.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** A stream that mixes DeploymentCreated as stored before revision 2 with events stored now reads as one shape. */
class DeploymentCreatedUpcasterTest {

    private final Serializer serializer = AxonConfiguration.eventSerializer();

    @Test
    void aStreamMixingTheV1AndV2ShapesDeserializesToTheCurrentRecords() {
        String v1 = "{\"tenant_id\":\"acme\",\"deployment_id\":\"d-1\",\"project_name\":\"shop\","
                + "\"url\":\"https://shop.example\",\"status\":\"pending\"}";
        DeploymentCreated current = new DeploymentCreated("acme", "d-2", "blog", null, DeploymentStatus.PENDING);
        List<DomainEventData<?>> stored = List.of(
                entry("d-1", 0, DeploymentCreated.class.getTypeName(), null, v1.getBytes(StandardCharsets.UTF_8)),
                stored(
                        "d-1",
                        1,
                        new DeploymentStatusChanged(
                                "acme", "d-1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING)),
                stored("d-2", 0, current));

        List<Object> payloads = EventStreamUtils.asStream(EventStreamUtils.upcastAndDeserializeDomainEvents(
                        stored.stream(), serializer, AxonConfiguration.upcasters()))
                .map(DomainEventMessage::getPayload)
                .map(Object.class::cast)
                .toList();

        assertThat(payloads)
                .containsExactly(
                        new DeploymentCreated("acme", "d-1", "shop", "https://shop.example", DeploymentStatus.PENDING),
                        new DeploymentStatusChanged("acme", "d-1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING),
                        current);
    }

    @Test
    void theCurrentShapeIsStoredAsRevisionTwoWithName() {
        SerializedObject<byte[]> serialized = serializer.serialize(
                new DeploymentCreated("acme", "d-2", "blog", null, DeploymentStatus.PENDING), byte[].class);

        assertThat(serialized.getType().getRevision()).isEqualTo("2");
        assertThat(new String(serialized.getData(), StandardCharsets.UTF_8))
                .contains("\"name\":\"blog\"")
                .doesNotContain("project_name");
        assertThat(serializer
                        .serialize(
                                new DeploymentStatusChanged(
                                        "acme", "d", DeploymentStatus.PENDING, DeploymentStatus.BUILDING),
                                byte[].class)
                        .getType()
                        .getRevision())
                .isNull();
    }

    private DomainEventData<?> stored(String aggregateId, long sequence, Object payload) {
        SerializedObject<byte[]> serialized = serializer.serialize(payload, byte[].class);
        return entry(
                aggregateId,
                sequence,
                serialized.getType().getName(),
                serialized.getType().getRevision(),
                serialized.getData());
    }

    private DomainEventData<?> entry(String aggregateId, long sequence, String type, String revision, byte[] payload) {
        byte[] metaData = serializer
                .serialize(MetaData.with(CommandMetadata.TENANT_ID, "acme"), byte[].class)
                .getData();
        return new GenericDomainEventEntry<>(
                "Deployment",
                aggregateId,
                sequence,
                aggregateId + "-" + sequence,
                Instant.parse("2025-01-01T00:00:00Z").plusSeconds(sequence),
                type,
                revision,
                payload,
                metaData);
    }
}
