package io.tessera.command.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.intake.TenantAdministration;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReactivateTenant(
        @JsonProperty("tenant_id") @TargetAggregateIdentifier
        String tenantId) implements TenantAdministration {}
