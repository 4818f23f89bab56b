package io.tessera.command.auth;

import io.tessera.command.axon.CommandMetadata;
import io.tessera.events.client.ClientRegistered;
import io.tessera.events.client.ClientRevoked;
import io.tessera.events.user.Role;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code auth_client} table. Secrets are 256 random bits, shown once and kept as a digest
 * ({@link ClientSecrets}). A registration and a revocation store their event ({@link ClientRegistered},
 * {@link ClientRevoked}) in the transaction that changes the row, so the tenant's audit log holds every one,
 * with its actor; the event's stream is the client's id.
 */
@Component
class ClientCredentials {

    /** No tenant id is empty: row-level security shows no row under it. */
    private static final String NO_TENANT = "";

    record Registered(Client client, String secret, Instant createdAt) {}

    record Listed(Client client, String createdBy, Instant createdAt, Instant revokedAt) {}

    static final String EVENT_STREAM_TYPE = "Client";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    /** Looked up on use: the event store's configuration registers the offboarding handler that needs this. */
    private final ObjectProvider<EventStore> events;

    private final ClientSecrets secrets;

    ClientCredentials(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectProvider<EventStore> events) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.secrets = new ClientSecrets();
    }

    Registered register(String tenantId, String name, Set<Role> roles, String actor) {
        Client client = new Client(tenantId + "." + name, tenantId, roles);
        String secret = Secrets.random256();
        Instant now = Instant.now();
        try {
            transaction.executeWithoutResult(status -> {
                TenantRows.set(jdbc, tenantId);
                jdbc.update(
                        "INSERT INTO auth_client (client_id, tenant_id, secret_hash, roles, created_by, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)",
                        client.clientId(),
                        tenantId,
                        ClientSecrets.encode(secret),
                        client.rolesColumn(),
                        actor,
                        Timestamp.from(now));
                record(client, 0, new ClientRegistered(tenantId, client.clientId(), client.sortedRoles()), actor, now);
            });
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "A client with this id exists");
        }
        return new Registered(client, secret, now);
    }

    /** The client, if it exists, is not revoked and the secret is its own; one answer for every failure. */
    Optional<Client> authenticate(String clientId, String secret) {
        // The same statements whether the id exists or not (an unknown one looks under no tenant): the time
        // of the answer tells nothing of which ids exist.
        Optional<Map<String, Object>> row = Client.isWellFormedId(clientId)
                ? transaction.execute(status -> {
                    TenantRows.set(jdbc, TenantRows.ofClient(jdbc, clientId).orElse(NO_TENANT));
                    return jdbc
                            .queryForList(
                                    "SELECT tenant_id, secret_hash, roles FROM auth_client"
                                            + " WHERE client_id = ? AND revoked_at IS NULL",
                                    clientId)
                            .stream()
                            .findFirst();
                })
                : Optional.empty();
        String stored = row.map(r -> (String) r.get("secret_hash")).orElse(null);
        ClientSecrets.Verdict verdict = secrets.verify(secret, stored);
        if (verdict == ClientSecrets.Verdict.DOES_NOT_MATCH || row.isEmpty()) {
            return Optional.empty();
        }
        Client client = new Client(clientId, (String) row.get().get("tenant_id"), Client.rolesOf((String)
                row.get().get("roles")));
        if (verdict == ClientSecrets.Verdict.MATCHES_LEGACY) {
            transaction.executeWithoutResult(status -> {
                TenantRows.set(jdbc, client.tenantId());
                jdbc.update(
                        "UPDATE auth_client SET secret_hash = ? WHERE client_id = ? AND secret_hash = ?",
                        ClientSecrets.encode(secret),
                        clientId,
                        stored);
            });
        }
        return Optional.of(client);
    }

    Optional<String> tenantOf(String clientId) {
        return TenantRows.ofClient(jdbc, clientId);
    }

    /** At most {@code limit} clients of the tenant, revoked ones included, by id after {@code after} (null: from the first). */
    List<Listed> list(String tenantId, String after, int limit) {
        return transaction.execute(status -> {
            TenantRows.set(jdbc, tenantId);
            return jdbc.query(
                    "SELECT client_id, roles, created_by, created_at, revoked_at FROM auth_client"
                            + " WHERE tenant_id = ? AND client_id > ? ORDER BY client_id LIMIT ?",
                    (rs, n) -> new Listed(
                            new Client(rs.getString("client_id"), tenantId, Client.rolesOf(rs.getString("roles"))),
                            rs.getString("created_by"),
                            rs.getTimestamp("created_at").toInstant(),
                            Optional.ofNullable(rs.getTimestamp("revoked_at"))
                                    .map(Timestamp::toInstant)
                                    .orElse(null)),
                    tenantId,
                    after == null ? "" : after,
                    limit);
        });
    }

    long count(String tenantId) {
        Long count = transaction.execute(status -> {
            TenantRows.set(jdbc, tenantId);
            return jdbc.queryForObject("SELECT count(*) FROM auth_client WHERE tenant_id = ?", Long.class, tenantId);
        });
        return count == null ? 0 : count;
    }

    /**
     * Revokes every client of the tenant and every refresh token family they hold, in the transaction that
     * is running (the one storing the tenant's offboarding, which is the audited act).
     */
    void revokeAllOf(String tenantId, Instant now) {
        TenantRows.set(jdbc, tenantId);
        jdbc.update(
                "UPDATE auth_token_family SET revoked_at = ?, revoked_reason = 'tenant_offboarded'"
                        + " WHERE revoked_at IS NULL"
                        + " AND client_id IN (SELECT client_id FROM auth_client WHERE tenant_id = ?)",
                Timestamp.from(now),
                tenantId);
        jdbc.update(
                "UPDATE auth_client SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL",
                Timestamp.from(now),
                tenantId);
    }

    /**
     * Revokes the client and every refresh token family it holds (its access tokens expire on their own), and
     * records who did; a client revoked before stays as it was. Answers when it was revoked.
     */
    Instant revoke(String tenantId, String clientId, String actor) {
        return transaction.execute(status -> {
            TenantRows.set(jdbc, tenantId);
            List<Map<String, Object>> rows =
                    jdbc.queryForList("SELECT revoked_at FROM auth_client WHERE client_id = ? FOR UPDATE", clientId);
            if (rows.isEmpty()) {
                throw ApiException.notFound("Client");
            }
            if (rows.get(0).get("revoked_at") instanceof Timestamp revokedBefore) {
                return revokedBefore.toInstant();
            }
            Instant now = Instant.now();
            jdbc.update("UPDATE auth_client SET revoked_at = ? WHERE client_id = ?", Timestamp.from(now), clientId);
            jdbc.update(
                    "UPDATE auth_token_family SET revoked_at = ?, revoked_reason = 'client_revoked'"
                            + " WHERE client_id = ? AND revoked_at IS NULL",
                    Timestamp.from(now),
                    clientId);
            Long next = jdbc.queryForObject(
                    "SELECT coalesce(max(sequence_number) + 1, 0) FROM command_side.domain_event_entry"
                            + " WHERE aggregate_identifier = ?",
                    Long.class,
                    clientId);
            record(
                    new Client(clientId, tenantId, Set.of()),
                    next == null ? 0 : next,
                    new ClientRevoked(tenantId, clientId),
                    actor,
                    now);
            return now;
        });
    }

    private void record(Client client, long sequence, Object event, String actor, Instant now) {
        events.getObject()
                .publish(new GenericDomainEventMessage<>(
                        EVENT_STREAM_TYPE,
                        client.clientId(),
                        sequence,
                        event,
                        CommandMetadata.of(
                                client.tenantId(), actor, UUID.randomUUID().toString()),
                        UUID.randomUUID().toString(),
                        now));
    }
}
