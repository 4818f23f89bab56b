package io.tessera.query.projection;

import io.tessera.events.Topics;
import io.tessera.infra.observability.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The consumer of {@code tessera.events}. Each record is applied in its own read-table transaction,
 * which has committed when this method returns; offsets are committed after that (ack mode BATCH:
 * once the records of a poll are applied), so a crash means redelivery, which projections absorb.
 */
@Component
class EventsConsumer {

    private final ProjectionDispatcher dispatcher;

    EventsConsumer(ProjectionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Applied in the trace the command side published the event in (its {@code traceparent} header). */
    @KafkaListener(id = "tessera-query-side-projections", topics = Topics.EVENTS, groupId = "tessera-query-side")
    void onEvent(ConsumerRecord<String, String> record) {
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        String value = record.value() == null ? "" : record.value();
        Header traceparent = record.headers().lastHeader(TraceContext.HEADER);
        TraceContext trace = TraceContext.continueOrBegin(
                traceparent == null ? null : new String(traceparent.value(), StandardCharsets.UTF_8));
        try (TraceContext.Scope scope = trace.open()) {
            dispatcher.dispatch(value, Instant.ofEpochMilli(record.timestamp()), origin);
        }
    }
}
