package io.tessera.infra.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The validated bearer token of the running request, as much of it as a long-lived answer needs: a digest that
 * names this very token (never the token itself) and when it stops being valid.
 */
public record PresentedToken(String digest, Instant expiresAt) {

    public static Optional<PresentedToken> current() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt)
                || jwt.getToken().getExpiresAt() == null) {
            return Optional.empty();
        }
        return Optional.of(new PresentedToken(
                digestOf(jwt.getToken().getTokenValue()), jwt.getToken().getExpiresAt()));
    }

    static String digestOf(String tokenValue) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(tokenValue.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
