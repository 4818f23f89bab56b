package io.tessera.command.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code auth_refresh_token} and {@code auth_token_family} tables. A token is stored as its SHA-256,
 * used once, and replaced by a new one of the same family. Every rotation locks the family row first, so
 * two presentations of one token are serialized: the first rotates it, the second finds it spent, which is
 * reuse, and revokes the family, the tokens rotated in the meantime included.
 */
@Component
class RefreshTokens {

    sealed interface Rotation {
        record Rotated(Client client, String refreshToken) implements Rotation {}

        record Refused(String reason) implements Rotation {}
    }

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuthSettings settings;

    RefreshTokens(JdbcTemplate jdbc, PlatformTransactionManager transactions, AuthSettings settings) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
    }

    /** The first refresh token of a new family, for a client that just authenticated. */
    String startFamily(Client client) {
        UUID family = UUID.randomUUID();
        return transaction.execute(status -> {
            TenantRows.set(jdbc, client.tenantId());
            jdbc.update(
                    "INSERT INTO auth_token_family (family_id, client_id) VALUES (?, ?)", family, client.clientId());
            return store(family, Instant.now());
        });
    }

    /** The client a refresh token was issued to, spent or not; empty for a token never issued. */
    Optional<String> clientOf(String refreshToken) {
        byte[] hash = Secrets.sha256(refreshToken);
        return TenantRows.ofRefreshToken(jdbc, hash)
                .flatMap(tenantId -> transaction.execute(status -> {
                    TenantRows.set(jdbc, tenantId);
                    return jdbc
                            .queryForList(
                                    "SELECT f.client_id FROM auth_refresh_token t"
                                            + " JOIN auth_token_family f ON f.family_id = t.family_id WHERE t.token_hash = ?",
                                    String.class,
                                    hash)
                            .stream()
                            .findFirst();
                }));
    }

    Rotation rotate(String refreshToken) {
        byte[] hash = Secrets.sha256(refreshToken);
        return transaction.execute(status -> {
            Optional<String> tenantId = TenantRows.ofRefreshToken(jdbc, hash);
            if (tenantId.isEmpty()) {
                return new Rotation.Refused("unknown");
            }
            TenantRows.set(jdbc, tenantId.get());
            List<UUID> families = jdbc.queryForList(
                    "SELECT family_id FROM auth_refresh_token WHERE token_hash = ?", UUID.class, hash);
            if (families.isEmpty()) {
                return new Rotation.Refused("unknown");
            }
            UUID family = families.get(0);
            Map<String, Object> owner = jdbc.queryForMap(
                    "SELECT f.revoked_at AS family_revoked_at, c.client_id, c.tenant_id, c.roles,"
                            + " c.revoked_at AS client_revoked_at"
                            + " FROM auth_token_family f JOIN auth_client c ON c.client_id = f.client_id"
                            + " WHERE f.family_id = ? FOR UPDATE OF f",
                    family);
            if (owner.get("family_revoked_at") != null) {
                return new Rotation.Refused("family revoked");
            }
            Map<String, Object> token =
                    jdbc.queryForMap("SELECT used_at, expires_at FROM auth_refresh_token WHERE token_hash = ?", hash);
            Client client =
                    new Client((String) owner.get("client_id"), (String) owner.get("tenant_id"), Client.rolesOf((String)
                            owner.get("roles")));
            Instant now = Instant.now();
            if (token.get("used_at") != null) {
                revokeFamily(family, "reuse", now);
                log.warn("Refresh token reused: revoked token family {} of client {}", family, client.clientId());
                return new Rotation.Refused("reused");
            }
            if (owner.get("client_revoked_at") != null) {
                revokeFamily(family, "client_revoked", now);
                return new Rotation.Refused("client revoked");
            }
            if (!((Timestamp) token.get("expires_at")).toInstant().isAfter(now)) {
                return new Rotation.Refused("expired");
            }
            int spent = jdbc.update(
                    "UPDATE auth_refresh_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                    Timestamp.from(now),
                    hash);
            if (spent != 1) {
                throw new IllegalStateException("A refresh token changed under its family's lock");
            }
            return new Rotation.Rotated(client, store(family, now));
        });
    }

    private String store(UUID family, Instant now) {
        String refreshToken = Secrets.random256();
        jdbc.update(
                "INSERT INTO auth_refresh_token (token_hash, family_id, issued_at, expires_at) VALUES (?, ?, ?, ?)",
                Secrets.sha256(refreshToken),
                family,
                Timestamp.from(now),
                Timestamp.from(now.plus(settings.refreshTokenTtl())));
        return refreshToken;
    }

    private void revokeFamily(UUID family, String reason, Instant now) {
        jdbc.update(
                "UPDATE auth_token_family SET revoked_at = ?, revoked_reason = ? WHERE family_id = ?",
                Timestamp.from(now),
                reason,
                family);
    }
}
