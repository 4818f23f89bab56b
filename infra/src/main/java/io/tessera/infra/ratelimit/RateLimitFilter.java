package io.tessera.infra.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Unavailability;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every {@code /api} request that got past token validation, before the tenant is resolved, and
 * answers 429 {@code RATE_LIMITED} past the limit. The bucket: the effective tenant; for a tenant the token
 * may not act for (the coming 403), the token's home tenant; for a request without a token (the coming 401,
 * or the public token endpoints), the client address. Answers given before this filter runs (an invalid
 * token, a body too large, a URL the firewall refuses) are counted by {@link EarlyAnswerRateLimitFilter}.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    static final String DECIDED = RateLimitFilter.class.getName() + ".decided";
    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    public static final String REFUSED_METRIC = "tessera.ratelimit.refused";

    private final TenantRateLimiter limiter;
    private final EnvelopeWriter envelopeWriter;
    private final MeterRegistry meters;

    /** {@code meters} may be null: refusals are then not counted. */
    public RateLimitFilter(TenantRateLimiter limiter, EnvelopeWriter envelopeWriter, MeterRegistry meters) {
        this.limiter = limiter;
        this.envelopeWriter = envelopeWriter;
        this.meters = meters;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        TenantRateLimiter.Decision decision;
        String tenantId = null;
        try {
            if (authentication instanceof JwtAuthenticationToken jwt) {
                tenantId = bucketTenant(request, Caller.from(jwt.getToken()));
                decision = limiter.tryAcquire(tenantId);
            } else {
                decision = limiter.tryAcquireForAddress(request.getRemoteAddr());
            }
        } catch (RuntimeException e) {
            if (!Unavailability.isDatabaseUnavailable(e)) {
                throw e;
            }
            // The buckets live in the database: without it nothing can be counted, and nothing served either.
            log.warn("Rate limit not checkable, database unavailable: {}", e.toString());
            request.setAttribute(DECIDED, Boolean.TRUE);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Unavailability.RETRY_AFTER.toSeconds()));
            envelopeWriter.writeFailure(response, ErrorCode.UNAVAILABLE, Unavailability.MESSAGE, tenantId);
            return;
        }
        if (apply(decision, request, response, envelopeWriter, tenantId)) {
            chain.doFilter(request, response);
        } else if (meters != null) {
            // The tenant here is one the token names (effective or home), never one a stranger made up.
            meters.counter(REFUSED_METRIC, "tenant", tenantId == null ? "unauthenticated" : tenantId)
                    .increment();
        }
    }

    private static String bucketTenant(HttpServletRequest request, Caller caller) {
        try {
            return TenantResolver.resolve(
                    request.getHeader(TenantResolver.HEADER),
                    request.getParameter(TenantResolver.PARAMETER),
                    request.getHeader("Host"),
                    caller);
        } catch (ApiException tenantForbidden) {
            return caller.homeTenant();
        }
    }

    /** Sets the headers; on a refusal writes the 429 and returns false. */
    static boolean apply(
            TenantRateLimiter.Decision decision,
            HttpServletRequest request,
            HttpServletResponse response,
            EnvelopeWriter envelopeWriter,
            String tenantId)
            throws IOException {
        request.setAttribute(DECIDED, Boolean.TRUE);
        response.setHeader(LIMIT, Integer.toString(decision.limit()));
        response.setHeader(REMAINING, Long.toString(decision.remaining()));
        response.setHeader(RESET, Long.toString(decision.reset().getEpochSecond() + 1));
        if (decision.allowed()) {
            return true;
        }
        long retryAfterSeconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        envelopeWriter.writeFailure(
                response,
                ErrorCode.RATE_LIMITED,
                tenantId == null
                        ? "Too many requests from this address; retry later"
                        : "Too many requests for this tenant; retry later",
                tenantId);
        return false;
    }
}
