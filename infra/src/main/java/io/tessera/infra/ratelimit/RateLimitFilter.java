package io.tessera.infra.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.EnvelopeWriter;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/** Counts every tenant-resolved {@code /api} request; answers 429 {@code RATE_LIMITED} past the limit. */
public class RateLimitFilter extends OncePerRequestFilter {

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
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
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<RequestTenant> tenant = RequestTenant.current(request);
        if (tenant.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        TenantRateLimiter.Decision decision = limiter.tryAcquire(tenant.get().tenantId());
        response.setHeader(LIMIT, Integer.toString(decision.limit()));
        response.setHeader(REMAINING, Long.toString(decision.remaining()));
        response.setHeader(RESET, Long.toString(decision.reset().getEpochSecond() + 1));
        if (!decision.allowed()) {
            long retryAfterSeconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            if (meters != null) {
                meters.counter(REFUSED_METRIC, "tenant", tenant.get().tenantId())
                        .increment();
            }
            envelopeWriter.writeFailure(
                    response,
                    ErrorCode.RATE_LIMITED,
                    "Too many requests for this tenant; retry later",
                    tenant.get().tenantId());
            return;
        }
        chain.doFilter(request, response);
    }
}
