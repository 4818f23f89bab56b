package io.tessera.infra.tenancy;

/**
 * Which tenants are offboarded, as a side knows it. Offboarding is final, so a token whose home tenant is
 * offboarded is refused from then on (401 UNAUTHENTICATED), not only once it expires. A side without such a
 * bean refuses nobody for this reason.
 */
public interface OffboardedTenants {

    boolean isOffboarded(String tenantId);
}
