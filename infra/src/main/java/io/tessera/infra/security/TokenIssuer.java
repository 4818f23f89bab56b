package io.tessera.infra.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tessera.events.user.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;

/** Signs HS256 tokens with the configured secret: for the operator CLI, the demo and the tests. */
public final class TokenIssuer {

    private final byte[] secret;
    private final String issuer;
    private final String audience;

    public TokenIssuer(String secret, String issuer) {
        this(secret, issuer, null);
    }

    /** Tokens that pass the decoder these settings configure: their secret, {@code iss} and {@code aud}. */
    public TokenIssuer(JwtSettings settings) {
        this(settings.secret(), settings.issuer(), settings.audience());
    }

    public TokenIssuer(String secret, String issuer, String audience) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < JwtSettings.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "The secret must be at least " + JwtSettings.MIN_SECRET_BYTES + " bytes");
        }
        this.issuer = issuer;
        this.audience = audience;
    }

    public String issue(
            String subject,
            String tenantId,
            Collection<Role> roles,
            Collection<String> tenants,
            boolean platformAdmin,
            Duration ttl) {
        return issue(subject, tenantId, roles, tenants, platformAdmin, false, ttl);
    }

    /** {@code importer}: the claim that lets {@code ./tessera import} use the audited import mode. */
    public String issue(
            String subject,
            String tenantId,
            Collection<Role> roles,
            Collection<String> tenants,
            boolean platformAdmin,
            boolean importer,
            Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim(Caller.TENANT_ID, tenantId)
                .claim(Caller.ROLES, roles.stream().map(Role::jsonName).toList());
        if (!tenants.isEmpty()) {
            claims.claim(Caller.TENANTS, tenants.stream().toList());
        }
        if (platformAdmin) {
            claims.claim(Caller.PLATFORM_ADMIN, true);
        }
        if (importer) {
            claims.claim(Caller.IMPORTER, true);
        }
        if (issuer != null && !issuer.isBlank()) {
            claims.issuer(issuer);
        }
        if (audience != null && !audience.isBlank()) {
            claims.audience(audience);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
    }
}
