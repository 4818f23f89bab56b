package io.tessera.command.auth;

import io.tessera.command.axon.InTransactionEventHandler;
import io.tessera.events.tenant.TenantOffboarded;
import java.time.Instant;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * An offboarded tenant's upstream systems lose their credentials in the transaction that offboards it:
 * every client is revoked and every refresh token family with it. Access tokens already minted run out
 * on their own; until then the tenant's commands are refused anyway.
 */
@Component
class OffboardedTenantCredentials implements InTransactionEventHandler {

    private final ClientCredentials clients;

    OffboardedTenantCredentials(ClientCredentials clients) {
        this.clients = clients;
    }

    @EventHandler
    void on(TenantOffboarded event) {
        clients.revokeAllOf(event.tenantId(), Instant.now());
    }
}
