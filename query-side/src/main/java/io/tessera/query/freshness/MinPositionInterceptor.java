package io.tessera.query.freshness;

import io.tessera.infra.security.Caller;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Read-your-writes: a request with {@code X-Min-Position: N} is answered only once the tenant's read
 * model has applied position N, waiting at most the configured time (5 s); past that, 503 UNAVAILABLE
 * with {@code Retry-After}. Only a caller who may read something, or a platform admin, waits: checked first,
 * since a token without a role must not hold a thread for seconds. Only a few requests of a tenant wait at
 * once; one more is answered 503 at once, so that one tenant cannot park the server's threads.
 */
class MinPositionInterceptor implements HandlerInterceptor {

    static final String HEADER = "X-Min-Position";

    private final AppliedPositions positions;
    private final Duration timeout;
    private final int maxWaitingPerTenant;
    private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

    MinPositionInterceptor(AppliedPositions positions, Duration timeout, int maxWaitingPerTenant) {
        this.positions = positions;
        this.timeout = timeout;
        this.maxWaitingPerTenant = maxWaitingPerTenant;
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
        Caller caller = tenant.caller();
        if (!caller.has(Permission.READ) && !caller.has(Permission.AUDIT) && !caller.platformAdmin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Your roles do not allow this");
        }
        if (positions.reached(tenant.tenantId(), position)) {
            return true;
        }
        String tenantId = tenant.tenantId();
        try {
            if (waiting.merge(tenantId, 1, Integer::sum) > maxWaitingPerTenant) {
                throw notYet("Too many requests of this tenant wait for the read model; retry shortly");
            }
            if (!positions.awaitPosition(tenantId, position, timeout)) {
                throw notYet("The read model has not caught up with that position yet");
            }
        } finally {
            waiting.computeIfPresent(tenantId, (t, count) -> count == 1 ? null : count - 1);
        }
        return true;
    }

    int waiting(String tenantId) {
        return waiting.getOrDefault(tenantId, 0);
    }

    private static ApiException notYet(String message) {
        return new ApiException(ErrorCode.UNAVAILABLE, message, List.of(), Duration.ofSeconds(1));
    }
}
