package io.tessera.infra.tenancy;

import io.tessera.infra.security.Caller;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.EnvelopeWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/** Resolves the effective tenant of every authenticated {@code /api} request, after the token is validated. */
public class TenantResolutionFilter extends OncePerRequestFilter {

    private final EnvelopeWriter envelopeWriter;

    public TenantResolutionFilter(EnvelopeWriter envelopeWriter) {
        this.envelopeWriter = envelopeWriter;
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
