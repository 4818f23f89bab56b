package io.tessera.command.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.tessera.command.Json;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.events.EventCatalog;
import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceContext;
import io.tessera.infra.observability.TraceSpans;
import io.tessera.infra.signing.EventSigner;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The records of a batch are sent when the batch is about to commit, after one query for the events'
 * global indexes: the {@link TrackingToken} handed to a handler is the processor's position <em>after</em> the
 * event, and for an event that fills a gap (its transaction committed after later positions) that is the
 * highest index seen so far, not the event's own. The {@code position} extension must be the event's own.
 */
@Component
@ProcessingGroup(CloudEventPublisher.PROCESSOR)
class CloudEventPublisher {

    static final String PROCESSOR = "tessera-publisher";
    static final String PUBLISH_METRIC = "tessera.kafka.publish";
    static final long ACK_TIMEOUT_SECONDS = 30;
    private static final String PENDING = CloudEventPublisher.class.getName() + ".pending";
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

    private final KafkaTemplate<String, String> kafka;
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final EventSigner signer;
    private final TraceSpans spans;
    private final ObjectMapper json = Json.mapper();

    CloudEventPublisher(
            KafkaTemplate<String, String> kafka,
            MeterRegistry meters,
            JdbcTemplate jdbc,
            EventSigner signer,
            TraceSpans spans) {
        this.kafka = kafka;
        this.spans = spans;
        this.signer = signer;
        this.meters = meters;
        this.jdbc = jdbc;
    }

    private record Pending(EventMessage<?> event, EventEnvelope cloudEvent) {}

    /** Builds the event's record; it is sent with the rest of the batch (see the class comment). */
    @EventHandler
    void on(Object payload, EventMessage<?> event) {
        pending().add(new Pending(event, toCloudEvent(event)));
    }

    /**
     * Each event is signed ({@link EventSigner}); its record follows the CloudEvents Kafka binding in structured mode (its {@code content-type} header) and
     * carries the trace of the command that stored the event ({@code traceparent} header, a span of its own);
     * {@code tessera.kafka.publish} times send to acknowledgement.
     */
    private void publish(List<Pending> batch) throws JsonProcessingException {
        allowIdleWhileAwaitingAcks();
        Map<String, Long> positions = storedPositions(batch);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (Pending pending : batch) {
            EventMessage<?> event = pending.event();
            Long position = positions.get(event.getIdentifier());
            if (position == null) {
                throw new IllegalStateException("Event " + event.getIdentifier() + " is not in the event store");
            }
            ProducerRecord<String, String> record =
                    record(signed(pending.cloudEvent().at(position)));
            TraceSpans.Hop hop =
                    spans.begin("tessera.publish " + pending.cloudEvent().type(), Span.Kind.PRODUCER, (String)
                            event.getMetaData().get(CommandMetadata.TRACEPARENT));
            record.headers().add(TraceContext.HEADER, hop.traceparent().getBytes(StandardCharsets.UTF_8));
            Timer.Sample sample = Timer.start(meters);
            try (TraceContext.Scope scope = hop.open()) {
                acks.add(kafka.send(record).whenComplete((result, failure) -> {
                    hop.close();
                    sample.stop(Timer.builder(PUBLISH_METRIC)
                            .description("Time from sending an event to Kafka's acknowledgement")
                            .tag("topic", Topics.EVENTS)
                            .tag("outcome", failure == null ? "acknowledged" : "failed")
                            .register(meters));
                }));
            } catch (RuntimeException e) {
                hop.close();
                throw e;
            }
        }
        awaitAll(acks);
    }

    /** Signed once its position is known: the signature covers the position too. */
    EventEnvelope signed(EventEnvelope positioned) throws JsonProcessingException {
        return positioned.signed(signer.keyId(), signer.sign(json.writeValueAsString(positioned)));
    }

    /** The Kafka record of a signed event: keyed by tenant, structured mode. */
    ProducerRecord<String, String> record(EventEnvelope cloudEvent) throws JsonProcessingException {
        ProducerRecord<String, String> record =
                new ProducerRecord<>(Topics.EVENTS, cloudEvent.tenantId(), json.writeValueAsString(cloudEvent));
        record.headers()
                .add(
                        EventEnvelope.KAFKA_CONTENT_TYPE_HEADER,
                        EventEnvelope.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /**
     * The batch's transaction (its token update) stays open, idle, while Kafka acknowledges: up to the ack wait.
     * The pool ends sessions idle in a transaction after {@code tessera.command.idle-in-transaction-timeout}
     * (15 s, meant for a frozen command); this transaction gets the ack wait and a margin instead, still well
     * below the gap limits (it stores no events).
     */
    private void allowIdleWhileAwaitingAcks() {
        jdbc.query(
                "SELECT set_config('idle_in_transaction_session_timeout', ?, true)",
                rs -> {},
                (ACK_TIMEOUT_SECONDS + 15) + "s");
    }

    /** The global index of each event of the batch, in one query. */
    private Map<String, Long> storedPositions(List<Pending> batch) {
        String[] ids = batch.stream().map(p -> p.event().getIdentifier()).toArray(String[]::new);
        Map<String, Long> positions = new HashMap<>();
        jdbc.query(
                connection -> {
                    PreparedStatement query = connection.prepareStatement(
                            "SELECT event_identifier, global_index FROM command_side.domain_event_entry"
                                    + " WHERE event_identifier = ANY (?)");
                    query.setArray(1, connection.createArrayOf("varchar", ids));
                    return query;
                },
                (ResultSet row) -> {
                    positions.put(row.getString(1), row.getLong(2));
                });
        return positions;
    }

    /**
     * An event of no aggregate (a rejected command) is a stream of its own, as the event store keeps it:
     * {@code subject} is its id and {@code sequence} 0, so the per-aggregate keys of consumers hold.
     */
    EventEnvelope toCloudEvent(EventMessage<?> event) {
        Object tenantId = event.getMetaData().get(CommandMetadata.TENANT_ID);
        if (!(tenantId instanceof String tenant) || tenant.isBlank()) {
            throw new IllegalStateException("Event " + event.getIdentifier() + " has no tenant_id; not publishing it");
        }
        boolean ofAggregate = event instanceof DomainEventMessage<?>;
        EventEnvelope envelope = EventEnvelope.of(
                event.getIdentifier(),
                EventCatalog.typeOf(event.getPayloadType()),
                event.getTimestamp().toString(),
                ofAggregate ? ((DomainEventMessage<?>) event).getAggregateIdentifier() : event.getIdentifier(),
                json.convertValue(event.getPayload(), DATA),
                tenant,
                ofAggregate ? ((DomainEventMessage<?>) event).getSequenceNumber() : 0L,
                (String) event.getMetaData().get(CommandMetadata.ACTOR),
                (String) event.getMetaData().get(CommandMetadata.COMMAND_ID));
        if (CommandMetadata.imported(event.getMetaData())) {
            return envelope.imported(
                    event.getMetaData().get(CommandMetadata.LEGACY_CREATED_AT) instanceof String createdAt
                            ? createdAt
                            : null);
        }
        return envelope;
    }

    private List<Pending> pending() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            List<Pending> batch = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> {
                try {
                    publish(batch);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("Event not serializable", e);
                }
            });
            return batch;
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
