package io.tessera.infra.security;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The decoders behind {@link TesseraSecurityAutoConfiguration#jwtDecoder}. Each accepts exactly one
 * algorithm (HS256 with a secret, RS256 with an identity provider's keys), so a token cannot choose how it
 * is checked. Keys come only from configuration: a header naming or carrying a key ({@code jku},
 * {@code x5u}, {@code jwk}, {@code x5c}) fails the token before any key is looked up, and such URLs are
 * never fetched. The JWK set is cached and refetched at most once per rate-limit interval, so tokens
 * with unknown {@code kid}s cannot turn Tessera into a load generator against the identity provider.
 */
final class TesseraJwtDecoders {

    static final Duration JWKS_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final int HTTP_TIMEOUT_MILLIS = 2_000;
    private static final int HTTP_SIZE_LIMIT = 64 * 1024;
    private static final List<String> DISCOVERY_PATHS =
            List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server");

    private TesseraJwtDecoders() {}

    static JwtDecoder sharedSecret(byte[] secret, OAuth2TokenValidator<Jwt> validator) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .jwtProcessorCustomizer(refuseKeyReferences())
                .build();
        decoder.setJwtValidator(validator);
        return decoder;
    }

    static JwtDecoder jwkSet(String jwksUri, OAuth2TokenValidator<Jwt> validator) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(toUrl(jwksUri), retriever())
                .cache(JWKS_CACHE_TTL.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .rateLimited(JWKS_REFETCH_INTERVAL.toMillis())
                .build();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .jwtProcessorCustomizer(refuseKeyReferences())
                .build();
        decoder.setJwtValidator(validator);
        return decoder;
    }

    /**
     * Discovers the issuer's JWK set on first use (so Tessera starts while the identity provider is down),
     * and only from metadata whose {@code issuer} is exactly the configured one.
     */
    static JwtDecoder issuer(String issuer, OAuth2TokenValidator<Jwt> validator) {
        return new SupplierJwtDecoder(() -> jwkSet(discoverJwksUri(issuer), validator));
    }

    static String discoverJwksUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        IllegalStateException failure = new IllegalStateException("No usable metadata for issuer " + issuer);
        for (String path : DISCOVERY_PATHS) {
            try {
                Map<String, Object> metadata = JSONObjectUtils.parse(
                        retriever().retrieveResource(toUrl(base + path)).getContent());
                if (!issuer.equals(metadata.get("issuer"))) {
                    throw new IllegalStateException("The metadata at " + base + path + " names another issuer");
                }
                if (metadata.get("jwks_uri") instanceof String jwksUri && !jwksUri.isBlank()) {
                    return jwksUri;
                }
            } catch (IOException | ParseException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /**
     * Wraps the key selector the builder configured: a header that names or carries a key gets no key, and
     * so does a kid still unknown when the JWK set may not be refetched yet. Nimbus reports a token without
     * a key as bad (401); letting the rate limit's exception through would answer 500.
     */
    private static Consumer<ConfigurableJWTProcessor<SecurityContext>> refuseKeyReferences() {
        return processor -> {
            JWSKeySelector<SecurityContext> configured = processor.getJWSKeySelector();
            processor.setJWSKeySelector((JWSHeader header, SecurityContext context) -> {
                if (referencesAKey(header)) {
                    return List.<Key>of();
                }
                try {
                    return configured.selectJWSKeys(header, context);
                } catch (RateLimitReachedException unknownKeyAgain) {
                    return List.<Key>of();
                }
            });
        };
    }

    static boolean referencesAKey(JWSHeader header) {
        return header.getJWKURL() != null
                || header.getJWK() != null
                || header.getX509CertURL() != null
                || header.getX509CertChain() != null;
    }

    private static ResourceRetriever retriever() {
        return new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, HTTP_SIZE_LIMIT);
    }

    private static URL toUrl(String url) {
        try {
            return URI.create(url).toURL();
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("Not a URL: " + url, e);
        }
    }
}
