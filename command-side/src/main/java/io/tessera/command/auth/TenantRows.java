package io.tessera.command.auth;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Row-level security shows the auth tables' rows of the tenant set for the running transaction, and no other
 * (V4_2__database_roles.sql). The token endpoints learn that tenant from what the caller presents, through the
 * owner's two lookup functions, which answer nothing but the tenant.
 */
final class TenantRows {

    private TenantRows() {}

    /** Only inside a transaction: the setting ends with it. */
    static void set(JdbcTemplate jdbc, String tenantId) {
        jdbc.query("SELECT set_config('tessera.tenant_id', ?, true)", rs -> {}, tenantId);
    }

    static Optional<String> ofClient(JdbcTemplate jdbc, String clientId) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT client_tenant(?)", String.class, clientId));
    }

    static Optional<String> ofRefreshToken(JdbcTemplate jdbc, byte[] tokenHash) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT refresh_token_tenant(?)", String.class, tokenHash));
    }
}
