package io.tessera.query.cache;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * The container of the invalidation consumer: one consumer for all partitions, no offset commits (its
 * group is used once), errors logged and skipped (an eviction never needs a retry).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tessera.cache.enabled", havingValue = "true", matchIfMissing = true)
class CacheKafkaSetup {

    static final String CONTAINER_FACTORY = "cacheInvalidationContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> cacheInvalidationContainerFactory(
            ConsumerFactory<Object, Object> consumerFactory, QueryCache cache, CacheWarmer warmer) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(1);
        factory.setCommonErrorHandler(new CommonLoggingErrorHandler());
        ContainerProperties properties = factory.getContainerProperties();
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setConsumerRebalanceListener(new FollowingEvents(cache, warmer));
        return factory;
    }
}
