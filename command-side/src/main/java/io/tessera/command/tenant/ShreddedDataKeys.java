package io.tessera.command.tenant;

import io.tessera.command.axon.InTransactionEventHandler;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.infra.pii.DataKeys;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Destroys the tenant's data keys in the transaction that stores the event asking for it, so the event
 * and the destruction commit together: offboarding, or an explicit shredding by a platform admin.
 */
@Component
class ShreddedDataKeys implements InTransactionEventHandler {

    private final DataKeys keys;

    ShreddedDataKeys(DataKeys keys) {
        this.keys = keys;
    }

    @EventHandler
    void on(TenantOffboarded event) {
        keys.shred(event.tenantId());
    }

    @EventHandler
    void on(TenantDataKeysShredded event) {
        keys.shred(event.tenantId());
    }
}
