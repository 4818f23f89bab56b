package io.tessera.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tessera.events.user.Role;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Asserts what the effective decoder (the bean {@link TesseraSecurityAutoConfiguration#jwtDecoder} returns)
 * refuses, not how it is configured. Refusals must be {@link BadJwtException}s: that is what the resource
 * server answers with 401; any other failure would be a 500.
 */
class JwtValidationTest {

    private static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    private static final String ISSUER = "https://id.tessera.io";
    private final JwtDecoder decoder = decoderFor(new JwtSettings(SECRET, null, null, null, null));

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
    void acceptsWhatTheIssuerMintsForTheSameSettingsIssuerAndAudienceIncluded() {
        JwtSettings strict = new JwtSettings(SECRET, ISSUER, null, "tessera", null);
        String token = new TokenIssuer(strict)
                .issue("ci-bot", "acme", List.of(Role.VIEWER), List.of(), false, Duration.ofMinutes(5));
        assertThat(decoderFor(strict).decode(token).getSubject()).isEqualTo("ci-bot");
    }

    @Test
    void refusesAnExpiredTokenBeyondTheFiveSecondSkew() {
        // Spring's default skew (60 s) would accept a token that expired 20 s ago.
        assertRefused(hs256(claims().expirationTime(secondsFromNow(-20))));
    }

    @Test
    void refusesATokenNotYetValidBeyondTheFiveSecondSkew() {
        assertRefused(hs256(claims().notBeforeTime(secondsFromNow(20))));
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertRefused(hs256(claims().expirationTime(null)));
    }

    @Test
    void refusesATokenWithoutTenant() {
        assertRefused(hs256(claims().claim(Caller.TENANT_ID, null)));
    }

    @Test
    void refusesATokenWithABlankTenant() {
        assertRefused(hs256(claims().claim(Caller.TENANT_ID, " ")));
    }

    @Test
    void refusesATokenWithoutSubject() {
        assertRefused(hs256(claims().subject(null)));
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        assertRefused(sign(JWSAlgorithm.HS256, "another-secret-that-is-also-32-bytes-long!", claims()));
    }

    @Test
    void refusesAnUnsignedAlgNoneToken() {
        assertRefused(new PlainJWT(claims().build()).serialize());
    }

    @Test
    void refusesAnAlgNoneHeaderOnAValidlySignedToken() {
        String[] parts = hs256(claims()).split("\\.");
        String none = Base64.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                .toString()
                .replace("=", "");
        assertRefused(none + "." + parts[1] + ".");
        assertRefused(none + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void refusesAStrippedSignature() {
        String signed = hs256(claims());
        assertRefused(signed.substring(0, signed.lastIndexOf('.') + 1));
    }

    @Test
    void refusesHs384AndHs512EvenWithTheRightSecret() {
        String longSecret = SECRET + SECRET;
        JwtDecoder longSecretDecoder = decoderFor(new JwtSettings(longSecret, null, null, null, null));
        assertRefused(longSecretDecoder, sign(JWSAlgorithm.HS384, longSecret, claims()));
        assertRefused(longSecretDecoder, sign(JWSAlgorithm.HS512, longSecret, claims()));
        assertThat(longSecretDecoder
                        .decode(sign(JWSAlgorithm.HS256, longSecret, claims()))
                        .getSubject())
                .isEqualTo("ann");
    }

    @Test
    void refusesAnRs256TokenAtTheSharedSecretDecoder() throws Exception {
        RSAKey key = LocalIdentityProvider.newKey("k1");
        assertRefused(rs256(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1"), claims()));
    }

    @Test
    void refusesKeyReferencesInTheHeaderEvenWhenTheMacIsRight() throws Exception {
        RSAKey attacker = LocalIdentityProvider.newKey("attacker");
        assertRefused(hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256).jwkURL(URI.create("https://evil.example/jwks")), claims()));
        assertRefused(hs256(
                new JWSHeader.Builder(JWSAlgorithm.HS256).x509CertURL(URI.create("https://evil.example/c.pem")),
                claims()));
        assertRefused(hs256(new JWSHeader.Builder(JWSAlgorithm.HS256).jwk(attacker.toPublicJWK()), claims()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not-a-token",
                "",
                "a.b.c",
                "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
                "eyJhbGciOiJIUzI1NiJ9..",
                "....."
            })
    void refusesMalformedTokens(String token) {
        assertRefused(token);
    }

    @Test
    void refusesWrongIssuerAndWrongOrMissingAudienceWhereConfigured() {
        JwtDecoder strict = decoderFor(new JwtSettings(SECRET, ISSUER, null, "tessera", null));
        assertRefused(strict, hs256(claims().issuer("https://evil.example").audience("tessera")));
        assertRefused(strict, hs256(claims().audience("tessera")));
        assertRefused(strict, hs256(claims().issuer(ISSUER).audience("other")));
        assertRefused(strict, hs256(claims().issuer(ISSUER)));
        Jwt accepted = strict.decode(hs256(claims().issuer(ISSUER).audience(List.of("other", "tessera"))));
        assertThat(accepted.getSubject()).isEqualTo("ann");
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> decoderFor(new JwtSettings("short", null, null, null, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToStartWithoutAnyWayToVerify() {
        assertThatThrownBy(() -> decoderFor(new JwtSettings(null, null, null, null, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    /** RS256 with keys from a real identity provider's JWK set, served over HTTP on 127.0.0.1. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class IdentityProviderKeys {

        private LocalIdentityProvider provider;
        private LocalIdentityProvider attacker;
        private RSAKey attackerKey;
        private JwtDecoder rs256;

        @BeforeAll
        void start() {
            provider = new LocalIdentityProvider("k1");
            attacker = new LocalIdentityProvider("k1");
            attackerKey = attacker.key();
            rs256 = decoderFor(new JwtSettings(null, null, provider.jwksUri(), null, null));
        }

        @AfterAll
        void stop() {
            provider.close();
            attacker.close();
        }

        @Test
        void acceptsATokenSignedByTheProvidersKey() throws Exception {
            Jwt jwt = rs256.decode(signedByProvider(claims()));
            assertThat(Caller.from(jwt).homeTenant()).isEqualTo("acme");
        }

        @Test
        void findsTheKeysThroughIssuerDiscoveryAndChecksTheIssuer() throws Exception {
            JwtDecoder discovered = decoderFor(new JwtSettings(null, provider.issuer(), null, null, null));
            int discoveriesBefore = provider.requestsFor(LocalIdentityProvider.DISCOVERY_PATH);

            assertThat(discovered
                            .decode(signedByProvider(claims().issuer(provider.issuer())))
                            .getSubject())
                    .isEqualTo("ann");
            assertThat(provider.requestsFor(LocalIdentityProvider.DISCOVERY_PATH))
                    .isEqualTo(discoveriesBefore + 1);
            assertRefused(discovered, signedByProvider(claims().issuer("https://evil.example")));
            assertRefused(discovered, signedByProvider(claims()));
        }

        @Test
        void refusesATokenSignedWithAnotherRsaKeyUnderTheSameKid() throws Exception {
            assertRefused(rs256, rs256(attackerKey, header("k1"), claims()));
        }

        @Test
        void refusesHs256SignedWithThePublicKeyAsSecretAlgorithmConfusion() throws Exception {
            byte[] der = provider.key().toRSAPublicKey().getEncoded();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n-----END PUBLIC KEY-----\n";
            byte[] jwkJson = provider.key().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII), jwkJson)) {
                SignedJWT confused = new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
                confused.sign(new MACSigner(secret));
                assertRefused(rs256, confused.serialize());
            }
        }

        @Test
        void refusesOtherRsaAlgorithmsEvenWithTheProvidersKey() throws Exception {
            for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
                assertRefused(rs256, rs256(provider.key(), new JWSHeader.Builder(algorithm).keyID("k1"), claims()));
            }
        }

        @Test
        void refusesAlgNoneAndAStrippedSignature() throws Exception {
            assertRefused(rs256, new PlainJWT(claims().build()).serialize());
            String signed = signedByProvider(claims());
            assertRefused(rs256, signed.substring(0, signed.lastIndexOf('.') + 1));
        }

        @Test
        void refusesAJkuToAnAttackersKeysAndNeverFetchesIt() throws Exception {
            URI jku = URI.create(attacker.jwksUri());
            assertRefused(rs256, rs256(attackerKey, header("k1").jwkURL(jku), claims()));
            assertRefused(rs256, rs256(attackerKey, header("attacker-only").jwkURL(jku), claims()));
            assertRefused(rs256, rs256(provider.key(), header("k1").jwkURL(jku), claims()));
            assertThat(attacker.totalRequests()).isZero();
        }

        @Test
        void refusesAnX5uToAnAttackersCertificateAndNeverFetchesIt() throws Exception {
            URI x5u = URI.create(attacker.issuer() + "/cert.pem");
            assertRefused(rs256, rs256(attackerKey, header("k1").x509CertURL(x5u), claims()));
            assertRefused(rs256, rs256(provider.key(), header("k1").x509CertURL(x5u), claims()));
            assertThat(attacker.totalRequests()).isZero();
        }

        @Test
        void refusesAnEmbeddedJwk() throws Exception {
            assertRefused(rs256, rs256(attackerKey, header("k1").jwk(attackerKey.toPublicJWK()), claims()));
            assertRefused(
                    rs256,
                    rs256(
                            attackerKey,
                            new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attackerKey.toPublicJWK()),
                            claims()));
        }

        @Test
        void refusesAnEmbeddedCertificateChain() throws Exception {
            List<Base64> chain = List.of(Base64.encode("not really a certificate"));
            assertRefused(rs256, rs256(provider.key(), header("k1").x509CertChain(chain), claims()));
        }

        @Test
        void refusesUnknownKidsWithoutRefetchingTheJwkSetForEachOne() throws Exception {
            JwtDecoder fresh = decoderFor(new JwtSettings(null, null, provider.jwksUri(), null, null));
            int before = provider.requestsFor(LocalIdentityProvider.JWKS_PATH);
            fresh.decode(signedByProvider(claims()));
            for (int i = 0; i < 20; i++) {
                assertRefused(fresh, rs256(attackerKey, header("unknown-" + i), claims()));
            }
            assertThat(provider.requestsFor(LocalIdentityProvider.JWKS_PATH) - before)
                    .isLessThanOrEqualTo(3);
        }

        @Test
        void appliesTheSameClaimRules() throws Exception {
            assertRefused(rs256, signedByProvider(claims().expirationTime(secondsFromNow(-20))));
            assertRefused(rs256, signedByProvider(claims().notBeforeTime(secondsFromNow(20))));
            assertRefused(rs256, signedByProvider(claims().expirationTime(null)));
            assertRefused(rs256, signedByProvider(claims().claim(Caller.TENANT_ID, null)));
            JwtDecoder withAudience = decoderFor(new JwtSettings(null, null, provider.jwksUri(), "tessera", null));
            assertRefused(withAudience, signedByProvider(claims().audience("other")));
            assertThat(withAudience
                            .decode(signedByProvider(claims().audience("tessera")))
                            .getSubject())
                    .isEqualTo("ann");
        }

        private String signedByProvider(JWTClaimsSet.Builder claims) throws Exception {
            return rs256(provider.key(), header("k1").type(JOSEObjectType.JWT), claims);
        }
    }

    private static JwtDecoder decoderFor(JwtSettings settings) {
        return new TesseraSecurityAutoConfiguration().jwtDecoder(settings);
    }

    private void assertRefused(String token) {
        assertRefused(decoder, token);
    }

    private static void assertRefused(JwtDecoder decoder, String token) {
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(BadJwtException.class);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("ann")
                .claim(Caller.TENANT_ID, "acme")
                .claim(Caller.ROLES, List.of("viewer"))
                .expirationTime(secondsFromNow(300));
    }

    private static Date secondsFromNow(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    private static JWSHeader.Builder header(String keyId) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId);
    }

    private static String hs256(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.HS256, SECRET, claims);
    }

    private static String hs256(JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
        return sign(header.build(), SECRET, claims);
    }

    private static String sign(JWSAlgorithm algorithm, String secret, JWTClaimsSet.Builder claims) {
        return sign(new JWSHeader(algorithm), secret, claims);
    }

    private static String sign(JWSHeader header, String secret, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(RSAKey key, JWSHeader.Builder header, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header.build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
