package io.tessera.command.auth;

import io.tessera.infra.ratelimit.TenantRateLimiter;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.util.List;

/**
 * Token requests per client id and minute ({@code tessera.auth.attempts-per-minute}), counted across instances
 * in the rate-limit table: every attempt counts, a wrong secret as much as a right one, so guessing a client's
 * secret is as slow as the limit. Past it: 429 {@code RATE_LIMITED} with {@code Retry-After}, for the right
 * secret too, until the minute is over. A refresh counts against the client its token belongs to.
 */
class ClientAttempts {

    private final TenantRateLimiter limiter;

    /** {@code limiter} null: rate limits are switched off ({@code tessera.rate-limit.enabled=false}). */
    ClientAttempts(TenantRateLimiter limiter) {
        this.limiter = limiter;
    }

    void count(String clientId) {
        if (limiter == null) {
            return;
        }
        TenantRateLimiter.Decision decision = limiter.tryAcquire(clientId);
        if (!decision.allowed()) {
            throw new ApiException(
                    ErrorCode.RATE_LIMITED,
                    "Too many token requests for this client; try again later",
                    List.of(),
                    decision.retryAfter());
        }
    }
}
