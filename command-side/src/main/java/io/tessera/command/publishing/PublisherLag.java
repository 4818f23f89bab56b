package io.tessera.command.publishing;

import io.tessera.infra.health.BoundedProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The publisher's lag, across all instances: how long ago the oldest event not yet published was stored. Every
 * segment's token passes every event (a segment skips the others' tenants but moves on past them), so the lowest
 * token is where publishing stands. Older than {@code limit}: {@code OUT_OF_SERVICE}, which readiness counts;
 * bounded and reused like every check of Tessera's ({@link BoundedProbe}).
 */
final class PublisherLag implements HealthIndicator, DisposableBean {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final Duration limit;
    private final Clock clock;
    private final BoundedProbe probe;

    PublisherLag(
            JdbcTemplate jdbc, Serializer serializer, Duration limit, Duration bound, Duration reuseFor, Clock clock) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.limit = limit;
        this.clock = clock;
        this.probe = new BoundedProbe(
                "tessera-publisher-lag", this::probeOnce, bound, reuseFor, Health::outOfService, clock);
    }

    @Override
    public Health health() {
        return probe.health();
    }

    private Health probeOnce() {
        try {
            long published = publishedUpTo();
            List<String> oldest = jdbc.queryForList(
                    "SELECT time_stamp FROM command_side.domain_event_entry WHERE global_index > ?"
                            + " ORDER BY global_index LIMIT 1",
                    String.class,
                    published);
            if (oldest.isEmpty()) {
                return Health.up().withDetail("unpublished", "none").build();
            }
            Duration age = Duration.between(Instant.parse(oldest.get(0)), clock.instant());
            Health.Builder health = age.compareTo(limit) > 0 ? Health.outOfService() : Health.up();
            return health.withDetail("oldest_unpublished_age_ms", Math.max(0, age.toMillis()))
                    .withDetail("limit_ms", limit.toMillis())
                    .build();
        } catch (DataAccessException e) {
            return Health.outOfService()
                    .withDetail("error", e.getClass().getSimpleName())
                    .build();
        } catch (DateTimeParseException e) {
            return Health.unknown().withDetail("error", "unreadable event time").build();
        }
    }

    /** The lowest position of the publisher's segments; -1 before it has one (nothing published yet). */
    private long publishedUpTo() {
        List<Long> positions = jdbc.query(
                "SELECT token, token_type FROM command_side.token_entry WHERE processor_name = ?",
                (row, index) -> position(row.getBytes("token"), row.getString("token_type")),
                CloudEventPublisher.PROCESSOR);
        return positions.stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    private long position(byte[] token, String type) {
        if (token == null || type == null) {
            return -1;
        }
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return tracking == null ? -1 : tracking.position().orElse(-1);
    }

    @Override
    public void destroy() {
        probe.close();
    }
}
