package io.tessera.query.cache;

import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.infra.pii.PiiVault;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows {@code tessera.events} on every instance, in a consumer group of its own
 * ({@code tessera-query-cache-<uuid>}, from the end, never committing), and evicts the cache entries of
 * each event's tenant (and forgets its data keys when they were shredded). The tenant is the CloudEvent's {@code tenantid} (the record key if the value
 * cannot be read); the {@code position}, when present, tells the cache which applied position later
 * answers must reflect. Until the consumer has its partitions and their positions, and again after losing
 * them, nothing is cached: events in between would be missed ({@link FollowingEvents}).
 */
@Component
@ConditionalOnProperty(name = "tessera.cache.enabled", havingValue = "true", matchIfMissing = true)
class CacheInvalidation {

    static final String LISTENER_ID = "tessera-query-cache-invalidation";

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidation.class);

    private static final Set<String> KEYS_DESTROYED =
            Set.of(EventCatalog.typeOf(TenantDataKeysShredded.class), EventCatalog.typeOf(TenantOffboarded.class));

    private final QueryCache cache;
    private final JsonMapper json;
    private final PiiVault vault;

    CacheInvalidation(QueryCache cache, JsonMapper json, PiiVault vault) {
        this.cache = cache;
        this.json = json;
        this.vault = vault;
    }

    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.EVENTS,
            groupId = "tessera-query-cache-#{T(java.util.UUID).randomUUID().toString()}",
            containerFactory = CacheKafkaSetup.CONTAINER_FACTORY,
            properties = {"auto.offset.reset=latest", "enable.auto.commit=false"})
    void onEvent(ConsumerRecord<String, String> record) {
        String tenantId = record.key();
        long position = -1;
        boolean keysDestroyed = false;
        try {
            JsonNode event = json.readTree(record.value() == null ? "{}" : record.value());
            JsonNode tenant = event.get("tenantid");
            if (tenant != null && tenant.isString() && !tenant.asString().isEmpty()) {
                tenantId = tenant.asString();
            }
            JsonNode type = event.get("type");
            keysDestroyed = type != null && type.isString() && KEYS_DESTROYED.contains(type.asString());
            JsonNode at = event.get("position");
            if (at != null && at.isIntegralNumber()) {
                position = at.asLong();
            }
        } catch (RuntimeException unreadable) {
            log.debug("Event record {}@{} is not JSON; evicting by its key", record.partition(), record.offset());
        }
        if (tenantId != null) {
            if (keysDestroyed) {
                // The data keys this instance remembers would open the shredded e-mails for a while longer.
                vault.forget(tenantId);
            }
            cache.evictTenant(tenantId, position);
        }
    }
}
