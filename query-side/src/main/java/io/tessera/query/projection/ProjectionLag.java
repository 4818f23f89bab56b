package io.tessera.query.projection;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The projections' lag, named {@code projection} in the health report and a member of the readiness group:
 * {@code OUT_OF_SERVICE} while the consumer group is more than {@code limit} records of {@code tessera.events}
 * behind. Reads {@link ConsumerLag}'s latest measurement, so a probe costs no call to Kafka.
 */
@Component("projectionHealthIndicator")
class ProjectionLag implements HealthIndicator {

    private final ConsumerLag lag;
    private final long limit;

    ProjectionLag(ConsumerLag lag, @Value("${tessera.health.projection-lag-limit:10000}") long limit) {
        this.lag = lag;
        this.limit = limit;
    }

    @Override
    public Health health() {
        long records = lag.records();
        if (records < 0) {
            return Health.unknown().withDetail("lag", "not measured yet").build();
        }
        Health.Builder health = records > limit ? Health.outOfService() : Health.up();
        return health.withDetail("lag_records", records)
                .withDetail("limit_records", limit)
                .build();
    }
}
