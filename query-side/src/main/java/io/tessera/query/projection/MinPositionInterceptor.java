package io.tessera.query.projection;

import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Read-your-writes: a request with {@code X-Min-Position: N} is answered only once the tenant's read
 * model has applied position N, waiting at most the configured time (5 s); past that, 503 UNAVAILABLE
 * with {@code Retry-After}.
 */
class MinPositionInterceptor implements HandlerInterceptor {

    static final String HEADER = "X-Min-Position";

    private final AppliedPositions positions;
    private final Duration timeout;

    MinPositionInterceptor(AppliedPositions positions, Duration timeout) {
        this.positions = positions;
        this.timeout = timeout;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws InterruptedException {
        String header = request.getHeader(HEADER);
        if (header == null || header.isBlank()) {
            return true;
        }
        long position = AppliedPositions.parse(header)
                .orElseThrow(() -> ApiException.validation(HEADER + ": must be a non-negative whole number"));
        RequestTenant tenant = RequestTenant.current(request)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "A valid bearer token is required"));
        if (!positions.awaitPosition(tenant.tenantId(), position, timeout)) {
            throw new ApiException(
                    ErrorCode.UNAVAILABLE,
                    "The read model has not caught up with that position yet",
                    List.of(),
                    Duration.ofSeconds(1));
        }
        return true;
    }
}
