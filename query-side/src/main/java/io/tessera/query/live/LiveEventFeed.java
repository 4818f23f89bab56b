package io.tessera.query.live;

import io.tessera.events.Topics;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.RecordPlace;
import io.tessera.query.tenancy.OffboardedTenantTokens;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Follows {@code tessera.events} on every instance, from the end, in a consumer group of its own
 * ({@code tessera-query-live-<uuid>}, never committing): each instance must see every event for the streams
 * it holds. Records are read as the projections read them ({@link CloudEventReader}); only the CloudEvent's own
 * {@code tenantid} routes a notice, and a record that cannot be read reaches nobody. As every instance reads every
 * event here, this is also where each learns at once that a tenant was offboarded: its streams end and its
 * tokens are refused.
 */
@Component
class LiveEventFeed {

    static final String LISTENER_ID = "tessera-query-live";

    private static final Logger log = LoggerFactory.getLogger(LiveEventFeed.class);

    /**
     * Reading a record (its JSON, its signature) is most of this feed's cost, and most records concern no stream of
     * this instance: a record is read only when its key (the tenant, as the command side publishes it) has a stream
     * here, or when it may be an offboarding (of any version of that type). A record whose key lies is skipped, never delivered: the safe side.
     */
    private static final String OFFBOARDED = "tessera.tenant.offboarded.";

    private final LiveStreams streams;
    private final CloudEventReader reader;
    private final OffboardedTenantTokens offboarded;

    LiveEventFeed(LiveStreams streams, CloudEventReader reader, OffboardedTenantTokens offboarded) {
        this.streams = streams;
        this.reader = reader;
        this.offboarded = offboarded;
    }

    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.EVENTS,
            groupId = "tessera-query-live-#{T(java.util.UUID).randomUUID().toString()}",
            containerFactory = LiveKafkaSetup.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"})
    void onEvent(ConsumerRecord<String, String> record) {
        String value = record.value() == null ? "" : record.value();
        if (!streams.hasStreams(record.key()) && !value.contains(OFFBOARDED)) {
            return;
        }
        CloudEventReader.Outcome outcome =
                reader.read(value, Instant.ofEpochMilli(record.timestamp()), RecordPlace.of(record));
        if (!(outcome instanceof CloudEventReader.Readable readable)) {
            log.debug("Event record {}@{} cannot be read; no notice", record.partition(), record.offset());
            return;
        }
        ProjectedEvent event = readable.event();
        streams.publish(
                event.tenantId(),
                new LiveEvent(
                        event.type(),
                        event.aggregateId(),
                        event.position(),
                        event.time().toString()));
        if (event.data() instanceof TenantOffboarded) {
            offboarded.offboarded(event.tenantId());
            streams.closeAll(event.tenantId());
        }
    }
}
