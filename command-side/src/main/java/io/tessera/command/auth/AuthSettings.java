package io.tessera.command.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Lifetimes of what the token endpoint issues, and how often a client may ask: {@code tessera.auth.*}. */
@ConfigurationProperties("tessera.auth")
record AuthSettings(Duration accessTokenTtl, Duration refreshTokenTtl, Integer attemptsPerMinute) {

    AuthSettings {
        attemptsPerMinute = attemptsPerMinute == null ? 20 : attemptsPerMinute;
        if (attemptsPerMinute < 1) {
            throw new IllegalArgumentException("tessera.auth.attempts-per-minute must be at least 1");
        }
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
    }
}
