package io.tessera.command.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.intake.TenantAdministration;
import io.tessera.events.tenant.TenantQuotas;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangeTenantQuotas(
        @JsonProperty("tenant_id") @TargetAggregateIdentifier
        String tenantId,

        @JsonProperty("quotas") TenantQuotas quotas)
        implements TenantAdministration {}
