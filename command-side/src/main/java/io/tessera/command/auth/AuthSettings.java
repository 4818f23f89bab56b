package io.tessera.command.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Lifetimes of what the token endpoint issues: {@code tessera.auth.*}. */
@ConfigurationProperties("tessera.auth")
record AuthSettings(Duration accessTokenTtl, Duration refreshTokenTtl) {

    AuthSettings {
        accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
        refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
    }
}
