package io.tessera.infra.tenancy;

import io.tessera.infra.security.Caller;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Unavailability;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resolves the effective tenant of every authenticated {@code /api} request, after the token is validated, and
 * refuses a token whose home tenant is offboarded.
 */
public class TenantResolutionFilter extends OncePerRequestFilter {

    private final EnvelopeWriter envelopeWriter;
    private final OffboardedTenants offboarded;

    public TenantResolutionFilter(EnvelopeWriter envelopeWriter) {
        this(envelopeWriter, tenantId -> false);
    }

    public TenantResolutionFilter(EnvelopeWriter envelopeWriter, OffboardedTenants offboarded) {
        this.envelopeWriter = envelopeWriter;
        this.offboarded = offboarded;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = Caller.from(jwt.getToken());
        boolean homeOffboarded;
        try {
            homeOffboarded = offboarded.isOffboarded(caller.homeTenant());
        } catch (RuntimeException e) {
            if (!Unavailability.isDatabaseUnavailable(e)) {
                throw e;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Unavailability.RETRY_AFTER.toSeconds()));
            envelopeWriter.writeFailure(response, ErrorCode.UNAVAILABLE, Unavailability.MESSAGE, caller.homeTenant());
            return;
        }
        if (homeOffboarded) {
            envelopeWriter.writeFailure(
                    response, ErrorCode.UNAUTHENTICATED, "The token's tenant is offboarded", caller.homeTenant());
            return;
        }
        String tenantId;
        try {
            tenantId = TenantResolver.resolve(
                    request.getHeader(TenantResolver.HEADER),
                    request.getParameter(TenantResolver.PARAMETER),
                    request.getHeader("Host"),
                    caller);
        } catch (ApiException refused) {
            envelopeWriter.writeFailure(response, refused.code(), refused.getMessage(), caller.homeTenant());
            return;
        }
        request.setAttribute(RequestTenant.ATTRIBUTE, new RequestTenant(tenantId, caller));
        MDC.put("tenant_id", tenantId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("tenant_id");
        }
    }
}
