package io.tessera.command.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.auth.RefreshTokens.Rotation;
import io.tessera.infra.security.JwtSettings;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Trades client credentials, or a refresh token, for an access token and a new refresh token. Minting needs
 * the HS256 secret: with an external identity provider (RS256) Tessera does not issue tokens.
 */
@Component
class TokenGrants {

    /** The body of a grant, as OAuth 2.0 names its fields; the tenant goes into the envelope. */
    record Tokens(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("refresh_token") String refreshToken) {}

    record Granted(String tenantId, Tokens tokens) {}

    private final Optional<TokenIssuer> issuer;
    private final AuthSettings settings;
    private final ClientCredentials clients;
    private final RefreshTokens refreshTokens;
    private final ClientAttempts attempts;

    TokenGrants(
            JwtSettings jwt,
            AuthSettings settings,
            ClientCredentials clients,
            RefreshTokens refreshTokens,
            ClientAttempts attempts) {
        this.issuer = jwt.usesSharedSecret() ? Optional.of(new TokenIssuer(jwt)) : Optional.empty();
        this.settings = settings;
        this.clients = clients;
        this.refreshTokens = refreshTokens;
        this.attempts = attempts;
    }

    boolean enabled() {
        return issuer.isPresent();
    }

    Granted clientCredentials(String clientId, String clientSecret) {
        TokenIssuer minter = requireEnabled();
        attempts.count(clientId);
        Client client = clients.authenticate(clientId, clientSecret).orElseThrow(TokenGrants::invalidCredentials);
        return grant(minter, client, refreshTokens.startFamily(client));
    }

    Granted refresh(String refreshToken) {
        TokenIssuer minter = requireEnabled();
        // Before the rotation, so that a refused attempt spends nothing. An unknown token names no client:
        // it is a guess of 256 random bits, which no limit needs to slow down.
        refreshTokens.clientOf(refreshToken).ifPresent(attempts::count);
        if (refreshTokens.rotate(refreshToken) instanceof Rotation.Rotated rotated) {
            return grant(minter, rotated.client(), rotated.refreshToken());
        }
        throw new ApiException(
                ErrorCode.UNAUTHENTICATED, "The refresh token is not valid; authenticate with the client credentials");
    }

    TokenIssuer requireEnabled() {
        return issuer.orElseThrow(() -> new ApiException(
                ErrorCode.NOT_FOUND, "Tokens are issued by the configured identity provider, not by Tessera"));
    }

    private Granted grant(TokenIssuer minter, Client client, String refreshToken) {
        String accessToken = minter.issue(
                client.clientId(), client.tenantId(), client.roles(), List.of(), false, settings.accessTokenTtl());
        return new Granted(
                client.tenantId(),
                new Tokens(accessToken, "Bearer", settings.accessTokenTtl().toSeconds(), refreshToken));
    }

    private static ApiException invalidCredentials() {
        return new ApiException(ErrorCode.UNAUTHENTICATED, "Invalid client credentials");
    }
}
