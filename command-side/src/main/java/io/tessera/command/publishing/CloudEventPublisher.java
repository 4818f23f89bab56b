package io.tessera.command.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.command.Json;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends each stored event to {@code tessera.events} and, before the processor's token moves, waits until
 * Kafka acknowledged every record of the batch. An event without a tenant is never sent: the processor
 * stops on it rather than publish it untagged.
 */
@Component
@ProcessingGroup(CloudEventPublisher.PROCESSOR)
class CloudEventPublisher {

    static final String PROCESSOR = "tessera-publisher";
    static final String PUBLISH_METRIC = "tessera.kafka.publish";
    static final long ACK_TIMEOUT_SECONDS = 30;
    private static final String PENDING = CloudEventPublisher.class.getName() + ".pending";

    private final KafkaTemplate<String, String> kafka;
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json = Json.mapper();

    CloudEventPublisher(KafkaTemplate<String, String> kafka, MeterRegistry meters, JdbcTemplate jdbc) {
        this.kafka = kafka;
        this.meters = meters;
        this.jdbc = jdbc;
    }

    /**
     * The record carries the trace of the command that stored the event ({@code traceparent} header, a span of
     * its own); {@code tessera.kafka.publish} times send to acknowledgement.
     */
    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) throws JsonProcessingException {
        String cloudEvent = json.writeValueAsString(toCloudEvent(event, positionOf(event, token)));
        String tenantId = (String) event.getMetaData().get(CommandMetadata.TENANT_ID);
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EVENTS, tenantId, cloudEvent);
        TraceContext trace =
                TraceContext.continueOrBegin((String) event.getMetaData().get(CommandMetadata.TRACEPARENT));
        record.headers().add(TraceContext.HEADER, trace.traceparent().getBytes(StandardCharsets.UTF_8));
        Timer.Sample sample = Timer.start(meters);
        CompletableFuture<?> ack;
        try (TraceContext.Scope scope = trace.open()) {
            ack = kafka.send(record)
                    .whenComplete((result, failure) -> sample.stop(Timer.builder(PUBLISH_METRIC)
                            .description("Time from sending an event to Kafka's acknowledgement")
                            .tag("topic", Topics.EVENTS)
                            .tag("outcome", failure == null ? "acknowledged" : "failed")
                            .register(meters)));
        }
        pendingAcks().add(ack);
    }

    /**
     * An event of no aggregate (a rejected command) is a stream of its own, as the event store keeps it:
     * {@code subject} is its id and {@code sequence} 0, so the per-aggregate keys of consumers hold.
     */
    ObjectNode toCloudEvent(EventMessage<?> event, long position) {
        Object tenantId = event.getMetaData().get(CommandMetadata.TENANT_ID);
        if (!(tenantId instanceof String tenant) || tenant.isBlank()) {
            throw new IllegalStateException("Event " + event.getIdentifier() + " has no tenant_id; not publishing it");
        }
        ObjectNode node = json.createObjectNode();
        node.put("specversion", "1.0");
        node.put("id", event.getIdentifier());
        node.put("source", EventCatalog.SOURCE);
        node.put("type", EventCatalog.typeOf(event.getPayloadType()));
        node.put("time", event.getTimestamp().toString());
        node.put(
                "subject",
                event instanceof DomainEventMessage<?> domain
                        ? domain.getAggregateIdentifier()
                        : event.getIdentifier());
        node.put("datacontenttype", "application/json");
        node.set("data", json.valueToTree(event.getPayload()));
        node.put("tenantid", tenant);
        node.put("sequence", event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : 0L);
        node.put("position", position);
        node.put("actor", (String) event.getMetaData().get(CommandMetadata.ACTOR));
        node.put("commandid", (String) event.getMetaData().get(CommandMetadata.COMMAND_ID));
        if (CommandMetadata.imported(event.getMetaData())) {
            node.put("importmode", true);
            if (event.getMetaData().get(CommandMetadata.LEGACY_CREATED_AT) instanceof String createdAt) {
                node.put("legacycreatedat", createdAt);
            }
        }
        return node;
    }

    /**
     * The event's own global index. Not the token's position: a gap-aware token's index is the highest index
     * seen so far, so an event that fills a gap (its transaction committed after one with a higher index, which
     * happens between tenants all the time) would carry a later event's position, and the query side's event log,
     * unique per tenant and position, would drop one of the two (found by the fault suite, issue 9).
     */
    private long positionOf(EventMessage<?> event, TrackingToken token) {
        List<Long> stored = jdbc.queryForList(
                "SELECT global_index FROM command_side.domain_event_entry WHERE event_identifier = ?",
                Long.class,
                event.getIdentifier());
        if (!stored.isEmpty()) {
            return stored.get(0);
        }
        return token.position()
                .orElseThrow(() -> new IllegalStateException("No position for event " + event.getIdentifier()));
    }

    private List<CompletableFuture<?>> pendingAcks() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> awaitAll(acks));
            return acks;
        });
    }

    private static void awaitAll(List<CompletableFuture<?>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge the batch; it will be retried", e);
        }
    }
}
