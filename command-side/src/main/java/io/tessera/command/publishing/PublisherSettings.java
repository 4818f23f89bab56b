package io.tessera.command.publishing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.publisher.*}: how many segments the publisher's events are split into (a tenant's events
 * always fall into one), how many of them one instance may publish at once, and how quickly instances take
 * over segments another gave up or left behind.
 */
@ConfigurationProperties("tessera.publisher")
record PublisherSettings(
        Integer segments,
        Integer threads,
        Duration tokenClaimInterval,
        Duration balanceInterval,
        Duration nodeTimeout) {

    PublisherSettings {
        segments = segments == null ? 4 : segments;
        if (segments < 1) {
            throw new IllegalArgumentException("tessera.publisher.segments must be at least 1");
        }
        // One thread per segment: a lone survivor must be able to publish every segment.
        threads = threads == null ? segments : threads;
        if (threads < 1) {
            throw new IllegalArgumentException("tessera.publisher.threads must be at least 1");
        }
        tokenClaimInterval = tokenClaimInterval == null ? Duration.ofSeconds(1) : tokenClaimInterval;
        balanceInterval = balanceInterval == null ? Duration.ofSeconds(2) : balanceInterval;
        nodeTimeout = nodeTimeout == null ? balanceInterval.multipliedBy(3) : nodeTimeout;
        if (nodeTimeout.compareTo(balanceInterval) <= 0) {
            throw new IllegalArgumentException(
                    "tessera.publisher.node-timeout must be longer than the balance interval");
        }
    }
}
