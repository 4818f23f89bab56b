package io.tessera.query.user;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.rebuild.RebuildableProjection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code users}. A creation inserts the row, or brings back a deleted one of the same id (the id
 * is derived from tenant and e-mail); a deletion leaves a tombstone. Counters by role move only when a
 * row did.
 */
@Component
class UserProjection implements RebuildableProjection {

    private final JdbcClient jdbc;
    private final StatsCounter stats;

    UserProjection(JdbcClient jdbc, StatsCounter stats) {
        this.jdbc = jdbc;
        this.stats = stats;
    }

    @Override
    public String table() {
        return "users";
    }

    @Override
    public String statsKind() {
        return StatsCounter.USER;
    }

    @Override
    public void apply(ProjectedEvent event) {
        if (event.data() instanceof UserCreated created) {
            created(event, created);
        } else if (event.data() instanceof UserDeleted deleted) {
            deleted(event, deleted);
        }
    }

    private void created(ProjectedEvent event, UserCreated created) {
        int changed = jdbc.sql("""
                        INSERT INTO users (tenant_id, id, email, role, created_at, version)
                        VALUES (:tenantId, :id, :email, :role, :createdAt, :sequence)
                        ON CONFLICT (tenant_id, id) DO UPDATE
                        SET email = EXCLUDED.email, role = EXCLUDED.role, created_at = EXCLUDED.created_at,
                            deleted_at = NULL, version = EXCLUDED.version
                        WHERE users.version < EXCLUDED.version AND users.deleted_at IS NOT NULL
                        """)
                .param("tenantId", event.tenantId())
                .param("id", created.userId())
                .param("email", created.email())
                .param("role", created.role().jsonName())
                .param("createdAt", utc(event.createdAt()))
                .param("sequence", event.sequence())
                .update();
        if (changed == 1) {
            stats.added(event.tenantId(), StatsCounter.USER, created.role().jsonName(), event.time());
        }
    }

    private void deleted(ProjectedEvent event, UserDeleted deleted) {
        Optional<String> role = jdbc.sql("""
                        UPDATE users SET deleted_at = :time, version = :sequence
                        WHERE tenant_id = :tenantId AND id = :id AND version < :sequence AND deleted_at IS NULL
                        RETURNING role
                        """)
                .param("tenantId", event.tenantId())
                .param("id", deleted.userId())
                .param("sequence", event.sequence())
                .param("time", utc(event.time()))
                .query(String.class)
                .optional();
        role.ifPresent(r -> stats.removed(event.tenantId(), StatsCounter.USER, r, event.time()));
    }
}
