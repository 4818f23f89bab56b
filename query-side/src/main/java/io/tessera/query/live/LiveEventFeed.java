package io.tessera.query.live;

import io.tessera.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows {@code tessera.events} on every instance, from the end, in a consumer group of its own
 * ({@code tessera-query-live-<uuid>}, never committing): each instance must see every event for the streams
 * it holds. Only the CloudEvent's own {@code tenantid} routes a notice; a record without one reaches nobody.
 */
@Component
class LiveEventFeed {

    static final String LISTENER_ID = "tessera-query-live";

    private static final Logger log = LoggerFactory.getLogger(LiveEventFeed.class);

    private final LiveStreams streams;
    private final JsonMapper json;

    LiveEventFeed(LiveStreams streams, JsonMapper json) {
        this.streams = streams;
        this.json = json;
    }

    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.EVENTS,
            groupId = "tessera-query-live-#{T(java.util.UUID).randomUUID().toString()}",
            containerFactory = LiveKafkaSetup.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"})
    void onEvent(ConsumerRecord<String, String> record) {
        JsonNode event;
        try {
            event = json.readTree(record.value() == null ? "{}" : record.value());
        } catch (RuntimeException unreadable) {
            log.debug("Event record {}@{} is not JSON; no notice", record.partition(), record.offset());
            return;
        }
        String tenantId = text(event, "tenantid");
        String type = text(event, "type");
        JsonNode position = event.path("position");
        if (tenantId == null || type == null || !position.isIntegralNumber()) {
            return;
        }
        streams.publish(tenantId, new LiveEvent(type, text(event, "subject"), position.asLong(), text(event, "time")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }
}
