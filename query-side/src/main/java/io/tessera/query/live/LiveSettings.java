package io.tessera.query.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.live.*}: how many streams a tenant may hold open on one instance, and one token among them;
 * how long a stream lives before the browser reconnects, how often an idle stream gets a heartbeat, and how
 * many notices may wait for a slow reader before its stream is closed.
 */
@ConfigurationProperties("tessera.live")
record LiveSettings(
        Integer maxStreamsPerTenant,
        Integer maxStreamsPerToken,
        Duration streamTimeout,
        Duration heartbeat,
        Integer queueSize) {

    LiveSettings {
        maxStreamsPerTenant = maxStreamsPerTenant == null ? 50 : maxStreamsPerTenant;
        maxStreamsPerToken = maxStreamsPerToken == null ? 3 : maxStreamsPerToken;
        streamTimeout = streamTimeout == null ? Duration.ofMinutes(30) : streamTimeout;
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        queueSize = queueSize == null ? 256 : queueSize;
    }
}
