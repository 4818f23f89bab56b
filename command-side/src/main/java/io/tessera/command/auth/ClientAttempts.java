package io.tessera.command.auth;

import io.tessera.infra.ratelimit.TenantRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed token requests, counted per client id and per source address in the rate-limit table (shared by
 * instances). A secret is checked with one SHA-256, so checking costs nothing and the right secret is never
 * refused for its client's failures: an attacker elsewhere cannot lock a client out. Past a client's limit, its
 * wrong secrets are answered 429 with {@code Retry-After}. Past an address's limit, that address's requests are
 * refused before any lookup for at most {@code back-off}; then one attempt is checked again, so the right secret
 * waits out that short back-off at most, and each further failure starts another.
 */
class ClientAttempts {

    /** Past this many addresses in back-off (a flood of them) the map is dropped: the buckets still count. */
    static final int MAX_ADDRESSES_IN_BACK_OFF = 10_000;

    private final TenantRateLimiter clients;
    private final TenantRateLimiter addresses;
    private final Duration backOff;
    private final Clock clock;
    private final Map<String, Instant> addressesInBackOff = new ConcurrentHashMap<>();

    /** {@code clients} and {@code addresses} null: rate limits are switched off ({@code tessera.rate-limit.enabled=false}). */
    ClientAttempts(TenantRateLimiter clients, TenantRateLimiter addresses, Duration backOff, Clock clock) {
        this.clients = clients;
        this.addresses = addresses;
        this.backOff = backOff;
        this.clock = clock;
    }

    static ClientAttempts unlimited() {
        return new ClientAttempts(null, null, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** Before anything is looked up: how long the address must still wait, if it is in back-off. */
    Optional<Duration> refusal(String address) {
        Instant until = addressesInBackOff.get(address);
        if (until == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), until);
        if (left.isNegative() || left.isZero()) {
            addressesInBackOff.remove(address, until);
            return Optional.empty();
        }
        return Optional.of(left);
    }

    /** Counts a failure; a wait when the client's or the address's limit is spent (the answer is then a 429). */
    Optional<Duration> failed(String clientId, String address) {
        if (clients == null) {
            return Optional.empty();
        }
        TenantRateLimiter.Decision byAddress = addresses.tryAcquire(address);
        TenantRateLimiter.Decision byClient = clientId == null ? null : clients.tryAcquire(clientId);
        if (!byAddress.allowed()) {
            Duration wait = shorter(byAddress.retryAfter(), backOff);
            if (addressesInBackOff.size() >= MAX_ADDRESSES_IN_BACK_OFF) {
                addressesInBackOff.clear();
            }
            addressesInBackOff.put(address, clock.instant().plus(wait));
            return Optional.of(wait);
        }
        if (byClient != null && !byClient.allowed()) {
            return Optional.of(byClient.retryAfter());
        }
        return Optional.empty();
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
