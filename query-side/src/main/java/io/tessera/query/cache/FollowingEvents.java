package io.tessera.query.cache;

import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Tells the cache whether the invalidation consumer follows the events: only once it holds its
 * partitions with their starting positions resolved ("latest" is resolved lazily otherwise, and an event
 * published meanwhile would be missed). Losing the partitions stops caching and empties the caches.
 */
class FollowingEvents implements ConsumerAwareRebalanceListener {

    private final QueryCache cache;
    private final CacheWarmer warmer;

    FollowingEvents(QueryCache cache, CacheWarmer warmer) {
        this.cache = cache;
        this.warmer = warmer;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position);
        cache.following(!partitions.isEmpty());
        if (!partitions.isEmpty()) {
            warmer.following();
        }
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        cache.following(false);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        cache.following(false);
    }
}
