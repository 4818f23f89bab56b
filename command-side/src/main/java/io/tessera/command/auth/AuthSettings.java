package io.tessera.command.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lifetimes of what the token endpoints issue, and the failure limits: {@code tessera.auth.*}.
 * {@code attempts-per-minute} counts the failed attempts on one client id, {@code failed-attempts-per-address}
 * those from one source address (both per minute, shared by instances); {@code back-off} is the longest an address
 * past its limit is refused before its next attempt is checked again.
 */
@ConfigurationProperties("tessera.auth")
record AuthSettings(
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        Integer attemptsPerMinute,
        Integer failedAttemptsPerAddress,
        Duration backOff) {

    AuthSettings {
        attemptsPerMinute = attemptsPerMinute == null ? 20 : attemptsPerMinute;
        failedAttemptsPerAddress = failedAttemptsPerAddress == null ? 60 : failedAttemptsPerAddress;
        if (attemptsPerMinute < 1 || failedAttemptsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "tessera.auth.attempts-per-minute and .failed-attempts-per-address must be at least 1");
        }
        backOff = backOff == null ? Duration.ofSeconds(5) : backOff;
        if (backOff.isNegative() || backOff.isZero() || backOff.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("tessera.auth.back-off must be between 1 ms and 1 minute");
        }
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
    }
}
