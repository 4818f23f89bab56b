package io.tessera.infra.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Remembers the tokens whose signature was verified, for at most {@link #REMEMBERED_FOR}: a client sends the
 * same bearer token with every request, and checking its signature each time (parse, key lookup, MAC or RSA)
 * was 4 % of all CPU in the benchmark. Only a token verified before is a hit (the exact string); its claims
 * (expiry, tenant, subject, issuer, audience) are checked again on every use, so an expired token is refused as
 * before. The price, a security decision (SECURITY.md): a rotated secret, or a key withdrawn from the JWK set,
 * still admits a token already verified under it for up to a minute.
 */
final class VerifiedTokens implements JwtDecoder {

    static final Duration REMEMBERED_FOR = Duration.ofMinutes(1);
    static final int MAX_TOKENS = 4_096;

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator) {
        this(verifier, validator, Ticker.systemTicker());
    }

    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, Ticker ticker) {
        this.verifier = verifier;
        this.validator = validator;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_TOKENS)
                .expireAfterWrite(REMEMBERED_FOR)
                .ticker(ticker)
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            Jwt jwt = verifier.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            // As the verifier words it, so a caller cannot tell a remembered token from a fresh one.
            throw new JwtValidationException(
                    "An error occurred while attempting to decode the Jwt: "
                            + result.getErrors().iterator().next().getDescription(),
                    result.getErrors());
        }
        return known;
    }
}
