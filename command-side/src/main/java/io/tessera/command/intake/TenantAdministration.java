package io.tessera.command.intake;

/**
 * A command that administers the tenant itself (creation, quotas, suspension, offboarding, ...): the {@code Tenant}
 * aggregate decides it whatever the tenant's status, so the {@link TenantGate} lets it through.
 */
public interface TenantAdministration {}
