package io.tessera.command.axon;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.axonframework.common.Registration;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps event-sourced aggregates in memory between commands (Axon's caching repository), trusted only as far as
 * the store agrees. The first time a transaction uses an entry, the aggregate's stored sequence is read: another
 * instance's later write makes it differ, and the aggregate is loaded from the store instead. The read is exact
 * because every writer of these aggregates holds the tenant's lock, which the command transaction holds too.
 * Entries a transaction used or wrote are dropped when it does not commit, so a decision that was rolled back
 * never lingers in memory. Outside a transaction nothing is cached. At most {@code capacity} aggregates, the
 * least recently used leave first.
 */
final class StoreCheckedCache<T> implements org.axonframework.common.caching.Cache {

    private final AggregateModel<T> model;
    private final JdbcTemplate jdbc;
    private final Map<Object, Object> entries;

    StoreCheckedCache(Class<T> aggregateType, DataSource dataSource, int capacity) {
        this.model = AnnotatedAggregateMetaModelFactory.inspectAggregate(aggregateType);
        this.jdbc = new JdbcTemplate(dataSource);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Set<Object> used = usedInThisTransaction();
        if (used == null) {
            return null;
        }
        Object entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null) {
            return null;
        }
        Long version = versionOf(entry);
        // An aggregate without events is one a refused creation left behind: the store says it does not exist.
        if (version == null || (used.add(key) && !Objects.equals(storedSequence(key), version))) {
            remove(key);
            return null;
        }
        return (V) entry;
    }

    @Override
    public void put(Object key, Object value) {
        Set<Object> used = usedInThisTransaction();
        if (used == null) {
            return;
        }
        used.add(key);
        synchronized (entries) {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        synchronized (entries) {
            if (entries.containsKey(key)) {
                return false;
            }
        }
        put(key, value);
        return true;
    }

    @Override
    public boolean remove(Object key) {
        synchronized (entries) {
            return entries.remove(key) != null;
        }
    }

    @Override
    public void removeAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        synchronized (entries) {
            return entries.containsKey(key);
        }
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }

    private Long storedSequence(Object aggregateId) {
        return jdbc.queryForObject(
                "SELECT max(sequence_number) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class,
                aggregateId.toString());
    }

    private Long versionOf(Object entry) {
        return ((AggregateCacheEntry<T>) entry)
                .recreateAggregate(model, null, null, NoSnapshotTriggerDefinition.INSTANCE)
                .version();
    }

    /** The keys this transaction used or wrote, bound to it; null without a transaction. */
    @SuppressWarnings("unchecked")
    private Set<Object> usedInThisTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Set<Object> used = (Set<Object>) TransactionSynchronizationManager.getResource(this);
        if (used == null) {
            Set<Object> bound = new HashSet<>();
            TransactionSynchronizationManager.bindResource(this, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(StoreCheckedCache.this);
                    if (status != STATUS_COMMITTED) {
                        bound.forEach(StoreCheckedCache.this::remove);
                    }
                }
            });
            used = bound;
        }
        return used;
    }
}
