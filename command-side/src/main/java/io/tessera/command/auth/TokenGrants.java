package io.tessera.command.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.auth.RefreshTokens.Rotation;
import io.tessera.events.user.Role;
import io.tessera.infra.security.JwtSettings;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Authenticates clients and mints their access tokens; for the older {@code /api/auth} endpoints also trades
 * client credentials, or a refresh token, for an access token and a new refresh token. Minting needs the HS256
 * secret: with an external identity provider (RS256) Tessera does not issue tokens.
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

    sealed interface ClientAuthentication {
        record Authenticated(Client client) implements ClientAuthentication {}

        /** Unknown client, revoked client or wrong secret: one answer for all three. */
        record Refused() implements ClientAuthentication {}

        record Throttled(Duration retryAfter) implements ClientAuthentication {}
    }

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

    ClientAuthentication authenticate(String clientId, String clientSecret, String address) {
        requireEnabled();
        Optional<Duration> inBackOff = attempts.refusal(address);
        if (inBackOff.isPresent()) {
            return new ClientAuthentication.Throttled(inBackOff.get());
        }
        Optional<Client> client = clients.authenticate(clientId, clientSecret);
        if (client.isPresent()) {
            return new ClientAuthentication.Authenticated(client.get());
        }
        return attempts.failed(Client.isWellFormedId(clientId) ? clientId : null, address)
                .<ClientAuthentication>map(ClientAuthentication.Throttled::new)
                .orElseGet(ClientAuthentication.Refused::new);
    }

    /** An access token with {@code roles}, which the caller has checked are the client's or fewer. */
    String accessToken(Client client, Set<Role> roles) {
        return requireEnabled()
                .issue(client.clientId(), client.tenantId(), roles, List.of(), false, settings.accessTokenTtl());
    }

    Duration accessTokenTtl() {
        return settings.accessTokenTtl();
    }

    Granted clientCredentials(String clientId, String clientSecret, String address) {
        ClientAuthentication outcome = authenticate(clientId, clientSecret, address);
        if (outcome instanceof ClientAuthentication.Authenticated authenticated) {
            return grant(authenticated.client(), refreshTokens.startFamily(authenticated.client()));
        }
        if (outcome instanceof ClientAuthentication.Throttled throttled) {
            throw tooMany(throttled.retryAfter());
        }
        throw invalidCredentials();
    }

    Granted refresh(String refreshToken, String address) {
        requireEnabled();
        Optional<Duration> inBackOff = attempts.refusal(address);
        if (inBackOff.isPresent()) {
            throw tooMany(inBackOff.get());
        }
        if (refreshTokens.rotate(refreshToken) instanceof Rotation.Rotated rotated) {
            return grant(rotated.client(), rotated.refreshToken());
        }
        Optional<Duration> throttled =
                attempts.failed(refreshTokens.clientOf(refreshToken).orElse(null), address);
        if (throttled.isPresent()) {
            throw tooMany(throttled.get());
        }
        throw new ApiException(
                ErrorCode.UNAUTHENTICATED, "The refresh token is not valid; authenticate with the client credentials");
    }

    TokenIssuer requireEnabled() {
        return issuer.orElseThrow(() -> new ApiException(
                ErrorCode.NOT_FOUND, "Tokens are issued by the configured identity provider, not by Tessera"));
    }

    private Granted grant(Client client, String refreshToken) {
        return new Granted(
                client.tenantId(),
                new Tokens(
                        accessToken(client, client.roles()),
                        "Bearer",
                        settings.accessTokenTtl().toSeconds(),
                        refreshToken));
    }

    private static ApiException invalidCredentials() {
        return new ApiException(ErrorCode.UNAUTHENTICATED, "Invalid client credentials");
    }

    private static ApiException tooMany(Duration retryAfter) {
        return new ApiException(
                ErrorCode.RATE_LIMITED, "Too many failed token requests; try again later", List.of(), retryAfter);
    }
}
