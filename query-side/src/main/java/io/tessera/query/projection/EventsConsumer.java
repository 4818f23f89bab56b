package io.tessera.query.projection;

import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The consumer of {@code tessera.events}. The records of a poll are applied together in one read-table
 * transaction ({@link ProjectionDispatcher#dispatchAll}), which has committed when this method returns; offsets
 * are committed after that (ack mode BATCH), so a crash means redelivery, which projections absorb.
 */
@Component
class EventsConsumer {

    private final ProjectionDispatcher dispatcher;

    EventsConsumer(ProjectionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Each record is applied in the trace the command side published it in (its {@code traceparent} header). */
    @KafkaListener(
            id = "tessera-query-side-projections",
            topics = Topics.EVENTS,
            groupId = "tessera-query-side",
            batch = "true")
    void onEvents(List<ConsumerRecord<String, String>> records) {
        dispatcher.dispatchAll(records.stream().map(EventsConsumer::eventRecord).toList());
    }

    private static ProjectionDispatcher.EventRecord eventRecord(ConsumerRecord<String, String> record) {
        Header traceparent = record.headers().lastHeader(TraceContext.HEADER);
        return new ProjectionDispatcher.EventRecord(
                record.value() == null ? "" : record.value(),
                Instant.ofEpochMilli(record.timestamp()),
                RecordPlace.of(record),
                TraceContext.continueOrBegin(
                        traceparent == null ? null : new String(traceparent.value(), StandardCharsets.UTF_8)));
    }
}
