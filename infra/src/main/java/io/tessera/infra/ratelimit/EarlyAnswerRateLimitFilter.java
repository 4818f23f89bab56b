package io.tessera.infra.ratelimit;

import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.Unavailability;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every {@code /api} request. Some answers are given before {@link RateLimitFilter}
 * runs and before any tenant is known: an invalid token (401), a body too large (413), a URL the firewall
 * refuses (400). Their envelopes are small and not yet sent when the chain returns ({@link EnvelopeWriter}
 * never flushes), so this filter counts them against the client address's bucket afterwards, adds the
 * headers, and turns the answer into the 429 once that bucket is empty: floods without a valid token are
 * limited too.
 */
public class EarlyAnswerRateLimitFilter extends OncePerRequestFilter {

    private final TenantRateLimiter limiter;
    private final EnvelopeWriter envelopeWriter;

    public EarlyAnswerRateLimitFilter(TenantRateLimiter limiter, EnvelopeWriter envelopeWriter) {
        this.limiter = limiter;
        this.envelopeWriter = envelopeWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (request.getAttribute(RateLimitFilter.DECIDED) != null || response.isCommitted()) {
            return;
        }
        TenantRateLimiter.Decision decision;
        try {
            decision = limiter.tryAcquireForAddress(request.getRemoteAddr());
        } catch (RuntimeException e) {
            if (Unavailability.isDatabaseUnavailable(e)) {
                // The early answer stands, without rate-limit headers: nothing can be counted without the database.
                return;
            }
            throw e;
        }
        if (!decision.allowed()) {
            response.resetBuffer();
        }
        RateLimitFilter.apply(decision, request, response, envelopeWriter, null);
    }
}
