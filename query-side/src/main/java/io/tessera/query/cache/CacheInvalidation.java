package io.tessera.query.cache;

import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.infra.pii.PiiVault;
import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.RecordPlace;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Follows {@code tessera.events} on every instance, in a consumer group of its own
 * ({@code tessera-query-cache-<uuid>}, from the end, never committing), and evicts the cache entries of
 * each event's tenant (and forgets its data keys when they were shredded). The record is read as the projections
 * read it ({@link CloudEventReader}): the tenant is the CloudEvent's {@code tenantid}, the {@code position} tells
 * the cache which applied position later answers must reflect; a record that cannot be read evicts nothing (the
 * projections dead-letter it, so it changed nothing cached). Until the consumer has its partitions and their
 * positions, and again after losing them, nothing is cached: events in between would be missed
 * ({@link FollowingEvents}).
 */
@Component
@ConditionalOnProperty(name = "tessera.cache.enabled", havingValue = "true", matchIfMissing = true)
class CacheInvalidation {

    static final String LISTENER_ID = "tessera-query-cache-invalidation";

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidation.class);

    private static final Set<String> KEYS_DESTROYED =
            Set.of(EventCatalog.typeOf(TenantDataKeysShredded.class), EventCatalog.typeOf(TenantOffboarded.class));

    private final QueryCache cache;
    private final CloudEventReader reader;
    private final PiiVault vault;

    CacheInvalidation(QueryCache cache, CloudEventReader reader, PiiVault vault) {
        this.cache = cache;
        this.reader = reader;
        this.vault = vault;
    }

    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.EVENTS,
            groupId = "tessera-query-cache-#{T(java.util.UUID).randomUUID().toString()}",
            containerFactory = CacheKafkaSetup.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"})
    void onEvent(ConsumerRecord<String, String> record) {
        CloudEventReader.Outcome outcome = reader.read(
                record.value() == null ? "" : record.value(),
                Instant.ofEpochMilli(record.timestamp()),
                RecordPlace.of(record));
        if (!(outcome instanceof CloudEventReader.Readable readable)) {
            log.debug("Event record {}@{} cannot be read; it evicts nothing", record.partition(), record.offset());
            return;
        }
        ProjectedEvent event = readable.event();
        if (KEYS_DESTROYED.contains(event.type())) {
            // The data keys this instance remembers would open the shredded e-mails for a while longer.
            vault.forget(event.tenantId());
        }
        cache.evictTenant(event.tenantId(), event.position());
    }
}
