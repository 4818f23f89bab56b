package io.tessera.command.auth;

import io.tessera.events.user.Role;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code auth_client} table. Secrets are 256 random bits, shown once and kept as a PBKDF2-HMAC-SHA256
 * hash (310,000 iterations, random salt; the encoding names its scheme, so a stronger one can follow).
 */
@Component
class ClientCredentials {

    record Registered(Client client, String secret, Instant createdAt) {}

    private static final String SCHEME = "pbkdf2@SpringSecurity_v5_8";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final PasswordEncoder hashes = new DelegatingPasswordEncoder(
            SCHEME, Map.of(SCHEME, Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
    /** Checked against when the client is unknown, so that answers the same, as slowly, as a wrong secret. */
    private final String decoyHash = hashes.encode(Secrets.random256());

    ClientCredentials(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    Registered register(String tenantId, String name, Set<Role> roles, String createdBy) {
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
                        hashes.encode(secret),
                        client.rolesColumn(),
                        createdBy,
                        Timestamp.from(now));
            });
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "A client with this id exists");
        }
        return new Registered(client, secret, now);
    }

    /** The client, if it exists, is not revoked and the secret is its own; one answer for every failure. */
    Optional<Client> authenticate(String clientId, String secret) {
        List<Map<String, Object>> rows = TenantRows.ofClient(jdbc, clientId)
                .map(tenantId -> transaction.execute(status -> {
                    TenantRows.set(jdbc, tenantId);
                    return jdbc.queryForList(
                            "SELECT tenant_id, secret_hash, roles FROM auth_client"
                                    + " WHERE client_id = ? AND revoked_at IS NULL",
                            clientId);
                }))
                .orElse(List.of());
        if (rows.isEmpty()) {
            hashes.matches(secret, decoyHash);
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        if (!hashes.matches(secret, (String) row.get("secret_hash"))) {
            return Optional.empty();
        }
        return Optional.of(
                new Client(clientId, (String) row.get("tenant_id"), Client.rolesOf((String) row.get("roles"))));
    }

    Optional<String> tenantOf(String clientId) {
        return TenantRows.ofClient(jdbc, clientId);
    }

    /**
     * Revokes every client of the tenant and every refresh token family they hold, in the transaction that
     * is running (the one storing the tenant's offboarding).
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

    /** Revokes the client and every refresh token family it holds; its access tokens expire on their own. */
    Instant revoke(String clientId) {
        Instant now = Instant.now();
        transaction.executeWithoutResult(status -> {
            Optional<String> tenantId = TenantRows.ofClient(jdbc, clientId);
            if (tenantId.isEmpty()) {
                return;
            }
            TenantRows.set(jdbc, tenantId.get());
            jdbc.update(
                    "UPDATE auth_client SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL",
                    Timestamp.from(now),
                    clientId);
            jdbc.update(
                    "UPDATE auth_token_family SET revoked_at = ?, revoked_reason = 'client_revoked'"
                            + " WHERE client_id = ? AND revoked_at IS NULL",
                    Timestamp.from(now),
                    clientId);
        });
        return now;
    }
}
