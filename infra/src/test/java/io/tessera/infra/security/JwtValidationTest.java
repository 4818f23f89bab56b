package io.tessera.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tessera.events.user.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** Asserts what the effective decoder refuses, not only how it is configured. */
class JwtValidationTest {

    private static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    private final JwtSettings settings = new JwtSettings(SECRET, null, null, null, null);
    private final JwtDecoder decoder = new TesseraSecurityAutoConfiguration().jwtDecoder(settings);

    @Test
    void acceptsATokenFromTheIssuerAndReadsTheCaller() {
        String token = new TokenIssuer(SECRET, null)
                .issue("ann", "acme", List.of(Role.EDITOR), List.of("globex"), true, Duration.ofMinutes(5));
        Caller caller = Caller.from(decoder.decode(token));
        assertThat(caller).isEqualTo(new Caller("ann", "acme", Set.of(Role.EDITOR), Set.of("globex"), true));
        assertThat(caller.has(Permission.WRITE)).isTrue();
        assertThat(caller.has(Permission.MANAGE_USERS)).isFalse();
    }

    @Test
    void refusesAnExpiredToken() {
        assertRefused(
                sign(SECRET, claims().expirationTime(Date.from(Instant.now().minusSeconds(30)))));
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertRefused(sign(SECRET, claims().expirationTime(null)));
    }

    @Test
    void refusesATokenNotYetValid() {
        assertRefused(
                sign(SECRET, claims().notBeforeTime(Date.from(Instant.now().plusSeconds(60)))));
    }

    @Test
    void refusesATokenWithoutTenant() {
        assertRefused(sign(SECRET, claims().claim(Caller.TENANT_ID, null)));
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        assertRefused(sign("another-secret-that-is-also-32-bytes-long!", claims()));
    }

    @Test
    void refusesAnUnsignedToken() {
        assertRefused(new PlainJWT(claims().build()).serialize());
    }

    @Test
    void refusesAStrippedSignature() {
        String signed = sign(SECRET, claims());
        assertRefused(signed.substring(0, signed.lastIndexOf('.') + 1));
    }

    @Test
    void refusesGarbage() {
        assertRefused("not-a-token");
    }

    @Test
    void refusesWrongIssuerAndAudienceWhereConfigured() {
        JwtDecoder strict = new TesseraSecurityAutoConfiguration()
                .jwtDecoder(new JwtSettings(SECRET, "https://id.tessera.io", null, "tessera", null));
        assertThatThrownBy(() -> strict.decode(
                        sign(SECRET, claims().issuer("https://evil.example").audience("tessera"))))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> strict.decode(
                        sign(SECRET, claims().issuer("https://id.tessera.io").audience("other"))))
                .isInstanceOf(JwtException.class);
        Jwt accepted = strict.decode(
                sign(SECRET, claims().issuer("https://id.tessera.io").audience("tessera")));
        assertThat(accepted.getSubject()).isEqualTo("ann");
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new TesseraSecurityAutoConfiguration()
                        .jwtDecoder(new JwtSettings("short", null, null, null, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("ann")
                .claim(Caller.TENANT_ID, "acme")
                .claim(Caller.ROLES, List.of("viewer"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String sign(String secret, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
