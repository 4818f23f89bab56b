package io.tessera.infra.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code TESSERA_JWT_SECRET} (HS256, at least 32 bytes) or {@code TESSERA_JWT_ISSUER} /
 * {@code TESSERA_JWT_JWKS_URI} (RS256); audience checked only where one is set.
 */
@ConfigurationProperties("tessera.jwt")
public record JwtSettings(String secret, String issuer, String jwksUri, String audience, Duration clockSkew) {

    public static final int MIN_SECRET_BYTES = 32;

    public JwtSettings {
        clockSkew = clockSkew == null ? Duration.ofSeconds(5) : clockSkew;
    }

    public boolean usesSharedSecret() {
        return secret != null && !secret.isBlank();
    }

    public byte[] secretBytes() {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("TESSERA_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return bytes;
    }
}
