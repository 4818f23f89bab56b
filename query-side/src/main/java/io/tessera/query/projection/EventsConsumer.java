package io.tessera.query.projection;

import io.micrometer.tracing.Span;
import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceContext;
import io.tessera.infra.observability.TraceSpans;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
    private final TraceSpans spans;

    EventsConsumer(ProjectionDispatcher dispatcher, TraceSpans spans) {
        this.dispatcher = dispatcher;
        this.spans = spans;
    }

    /**
     * Each record is applied in a span of its own under the one the command side published it in (its
     * {@code traceparent} header); the spans end when the batch has committed.
     */
    @KafkaListener(
            id = "tessera-query-side-projections",
            topics = Topics.EVENTS,
            groupId = "tessera-query-side",
            batch = "true")
    void onEvents(List<ConsumerRecord<String, String>> records) {
        List<TraceSpans.Hop> hops = new ArrayList<>(records.size());
        try {
            List<ProjectionDispatcher.EventRecord> events = new ArrayList<>(records.size());
            for (ConsumerRecord<String, String> record : records) {
                TraceSpans.Hop hop = spans.begin("tessera.project", Span.Kind.CONSUMER, traceparent(record));
                hops.add(hop);
                events.add(new ProjectionDispatcher.EventRecord(
                        record.value() == null ? "" : record.value(),
                        Instant.ofEpochMilli(record.timestamp()),
                        RecordPlace.of(record),
                        hop.context()));
            }
            dispatcher.dispatchAll(events);
        } finally {
            hops.forEach(TraceSpans.Hop::close);
        }
    }

    private static String traceparent(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(TraceContext.HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
