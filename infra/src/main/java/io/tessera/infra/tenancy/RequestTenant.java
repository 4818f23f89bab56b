package io.tessera.infra.tenancy;

import io.tessera.infra.security.Caller;
import io.tessera.infra.security.Permission;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** The tenant a request acts for, and who is acting. Controllers take it as a parameter. */
public record RequestTenant(String tenantId, Caller caller) {

    static final String ATTRIBUTE = RequestTenant.class.getName();

    public RequestTenant {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("A request tenant needs a tenant id");
        }
    }

    public static Optional<RequestTenant> current(HttpServletRequest request) {
        return Optional.ofNullable((RequestTenant) request.getAttribute(ATTRIBUTE));
    }

    public RequestTenant require(Permission permission) {
        if (!caller.has(permission)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Your roles do not allow this");
        }
        return this;
    }

    public RequestTenant requirePlatformAdmin() {
        if (!caller.platformAdmin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only a platform admin may do this");
        }
        return this;
    }
}
