package io.tessera.command.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.auth.TokenGrants.ClientAuthentication;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TesseraSecurityAutoConfiguration;
import io.tessera.infra.web.Unavailability;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /oauth2/token}, the token endpoint of RFC 6749 for the client credentials grant (§4.4): a form
 * body, the client authenticated by HTTP Basic (§2.3.1, id and secret form-urlencoded before base64) or by
 * {@code client_id} and {@code client_secret} in the body, never both. It answers as §5.1 and §5.2 prescribe,
 * outside the envelope (the one endpoint that does); no refresh token (§4.4.3). {@code scope}, optional, is a
 * space-separated subset of the client's roles, and the answer names the roles the token carries.
 */
@RestController
class OAuthTokenEndpoint {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AccessTokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("scope") String scope) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorResponse(
            @JsonProperty("error") String error,
            @JsonProperty("error_description") String description) {}

    /** Why a request is refused, with the §5.2 code (or a registered extension) and the status it is sent with. */
    static final class Refusal extends RuntimeException {
        final String error;
        final HttpStatus status;
        final Duration retryAfter;

        Refusal(String error, HttpStatus status, String description, Duration retryAfter) {
            super(description, null, false, false);
            this.error = error;
            this.status = status;
            this.retryAfter = retryAfter;
        }

        static Refusal invalidRequest(String description) {
            return new Refusal("invalid_request", HttpStatus.BAD_REQUEST, description, null);
        }
    }

    private record PresentedClient(String clientId, String clientSecret) {}

    static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final Set<String> PARAMETERS = Set.of("grant_type", "client_id", "client_secret", "scope");
    private static final int MAX_BODY = 8 * 1024;
    private static final int MAX_CREDENTIAL = 512;
    private static final String CHALLENGE = "Basic realm=\"tessera\", charset=\"UTF-8\"";
    private static final Logger log = LoggerFactory.getLogger(OAuthTokenEndpoint.class);

    private final TokenGrants grants;

    OAuthTokenEndpoint(TokenGrants grants) {
        this.grants = grants;
    }

    @PostMapping(TesseraSecurityAutoConfiguration.OAUTH2_TOKEN_ENDPOINT)
    ResponseEntity<?> token(HttpServletRequest request) {
        grants.requireEnabled();
        try {
            Map<String, String> form = form(request);
            PresentedClient credentials = credentials(request, form);
            String grantType = form.get("grant_type");
            if (grantType == null) {
                throw Refusal.invalidRequest("grant_type is required");
            }
            if (!CLIENT_CREDENTIALS.equals(grantType)) {
                throw new Refusal(
                        "unsupported_grant_type",
                        HttpStatus.BAD_REQUEST,
                        "Only the client_credentials grant is supported",
                        null);
            }
            ClientAuthentication outcome =
                    grants.authenticate(credentials.clientId(), credentials.clientSecret(), request.getRemoteAddr());
            if (outcome instanceof ClientAuthentication.Throttled throttled) {
                // RFC 8628's registered error: the client is to slow down by Retry-After.
                throw new Refusal(
                        "slow_down", HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts", throttled.retryAfter());
            }
            if (!(outcome instanceof ClientAuthentication.Authenticated authenticated)) {
                throw invalidClient("Client authentication failed");
            }
            Set<Role> roles = scope(form.get("scope"), authenticated.client().roles());
            String scope = roles.stream().sorted().map(Role::jsonName).collect(Collectors.joining(" "));
            return ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .header("Pragma", "no-cache")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new AccessTokenResponse(
                            grants.accessToken(authenticated.client(), roles),
                            "Bearer",
                            grants.accessTokenTtl().toSeconds(),
                            scope));
        } catch (Refusal refusal) {
            return refused(refusal);
        } catch (RuntimeException e) {
            if (Unavailability.isDatabaseUnavailable(e)) {
                return refused(new Refusal(
                        "temporarily_unavailable",
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Unavailability.MESSAGE,
                        Unavailability.RETRY_AFTER));
            }
            throw e;
        }
    }

    /** Each parameter at most once (§3.2), none in the URL, nothing unknown kept. */
    private static Map<String, String> form(HttpServletRequest request) {
        MediaType type;
        try {
            type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
            throw Refusal.invalidRequest("The body must be application/x-www-form-urlencoded");
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            throw Refusal.invalidRequest("The body is too large");
        }
        if (request.getQueryString() != null) {
            throw Refusal.invalidRequest("Parameters belong in the body, never in the URL");
        }
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (RuntimeException e) {
            throw Refusal.invalidRequest("The form body is malformed");
        }
        for (String name : PARAMETERS) {
            String[] values = parameters.get(name);
            if (values != null && values.length > 1) {
                throw Refusal.invalidRequest(name + " is given more than once");
            }
        }
        return parameters.entrySet().stream()
                .filter(e -> PARAMETERS.contains(e.getKey()) && e.getValue().length == 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[0]));
    }

    private static PresentedClient credentials(HttpServletRequest request, Map<String, String> form) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean inBody = form.containsKey("client_id") || form.containsKey("client_secret");
        if (authorization != null) {
            if (inBody) {
                throw Refusal.invalidRequest("Authenticate the client one way: HTTP Basic or the body, not both");
            }
            return basic(authorization);
        }
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        if (clientId == null || clientSecret == null || clientId.isEmpty() || clientSecret.isEmpty()) {
            throw invalidClient("Client authentication is required: HTTP Basic, or client_id and client_secret");
        }
        return checked(clientId, clientSecret);
    }

    private static PresentedClient basic(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw invalidClient("Client authentication is by HTTP Basic");
        }
        try {
            String decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0 && colon < decoded.length() - 1) {
                return checked(
                        URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            // answered below: not base64, or not form-urlencoded
        }
        throw invalidClient("The Basic credentials are malformed");
    }

    private static PresentedClient checked(String clientId, String clientSecret) {
        if (clientId.length() > MAX_CREDENTIAL || clientSecret.length() > MAX_CREDENTIAL) {
            throw invalidClient("Client authentication failed");
        }
        return new PresentedClient(clientId, clientSecret);
    }

    private static Set<Role> scope(String requested, Set<Role> held) {
        if (requested == null) {
            return held;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String token : requested.split(" ", -1)) {
            Optional<Role> role = Role.fromJsonName(token).filter(held::contains);
            if (role.isEmpty()) {
                throw new Refusal(
                        "invalid_scope", HttpStatus.BAD_REQUEST, "scope: space-separated roles of this client", null);
            }
            roles.add(role.get());
        }
        return roles;
    }

    /**
     * §5.2: 401 with the challenge of HTTP Basic, which a client that used it must get, and which names the
     * scheme to one that authenticated in the body or not at all.
     */
    private static Refusal invalidClient(String description) {
        return new Refusal("invalid_client", HttpStatus.UNAUTHORIZED, description, null);
    }

    private static ResponseEntity<ErrorResponse> refused(Refusal refusal) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(refusal.status)
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .contentType(MediaType.APPLICATION_JSON);
        if (refusal.status == HttpStatus.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        if (refusal.retryAfter != null) {
            answer.header(
                    HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (refusal.retryAfter.toMillis() + 999) / 1000)));
        }
        if (refusal.status.is5xxServerError()) {
            log.warn("Token request not answered: {}", refusal.getMessage());
        }
        return answer.body(new ErrorResponse(refusal.error, refusal.getMessage()));
    }
}
