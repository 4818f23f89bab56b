package io.tessera.command.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.Validation;
import io.tessera.command.auth.ClientCredentials.Registered;
import io.tessera.command.auth.TokenGrants.Granted;
import io.tessera.command.auth.TokenGrants.Tokens;
import io.tessera.command.intake.TenantGate;
import io.tessera.events.user.Role;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/auth/clients} (a tenant admin or a platform admin registers an upstream system; the
 * secret is answered once), {@code DELETE /api/auth/clients/{id}}, and the two bearer-free endpoints:
 * {@code POST /api/auth/token} (client credentials, or {@code grant_type=refresh_token}) and
 * {@code POST /api/auth/refresh}, each in JSON or form encoding.
 */
@RestController
@RequestMapping("/api/auth")
class AuthController {

    record RegisterBody(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("roles") List<String> roles,
            @JsonProperty("tenant_id") String tenantId) {}

    record RegisteredClient(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret,
            @JsonProperty("tenant_id") String tenantId,
            @JsonProperty("roles") List<String> roles,
            @JsonProperty("created_at") String createdAt) {}

    record RevokedClient(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("revoked_at") String revokedAt) {}

    record TokenBody(
            @JsonProperty("grant_type") String grantType,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret,
            @JsonProperty("refresh_token") String refreshToken) {}

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String REFRESH_TOKEN = "refresh_token";
    private static final Pattern CLIENT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final int MAX_CREDENTIAL = 512;

    private final TokenGrants grants;
    private final ClientCredentials clients;
    private final TenantGate tenants;

    AuthController(TokenGrants grants, ClientCredentials clients, TenantGate tenants) {
        this.grants = grants;
        this.clients = clients;
        this.tenants = tenants;
    }

    @PostMapping("/clients")
    ResponseEntity<ApiResponse<RegisteredClient>> register(RequestTenant tenant, @RequestBody RegisterBody body) {
        grants.requireEnabled();
        String tenantId = body.tenantId() == null ? tenant.tenantId() : body.tenantId();
        boolean platformAdmin = tenant.caller().platformAdmin();
        if (!platformAdmin && !tenantId.equals(tenant.tenantId())) {
            throw new ApiException(ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        }
        if (!platformAdmin) {
            tenant.require(Permission.MANAGE_USERS);
        }
        String name = body.clientId() == null ? Secrets.randomName() : body.clientId();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<String> problems = new ArrayList<>();
        if (!TenantResolver.isValidTenantId(tenantId)) {
            problems.add("tenant_id: not a tenant id");
        }
        if (!CLIENT_NAME.matcher(name).matches()) {
            problems.add("client_id: lower-case letters, digits, '-' and '_', at most 63");
        }
        if (body.roles() == null || body.roles().isEmpty()) {
            problems.add("roles: at least one of viewer, editor, admin, auditor");
        } else {
            for (String role : body.roles()) {
                Optional<Role> known = Role.fromJsonName(role);
                known.ifPresent(roles::add);
                if (known.isEmpty()) {
                    problems.add("roles: one of viewer, editor, admin, auditor");
                }
            }
        }
        failOn(problems);
        if (tenants.isOffboarded(tenantId)) {
            throw new ApiException(ErrorCode.TENANT_SUSPENDED, "The tenant is offboarded; it gets no new clients");
        }
        Registered registered =
                clients.register(tenantId, name, roles, tenant.caller().subject());
        RegisteredClient answer = new RegisteredClient(
                registered.client().clientId(),
                registered.secret(),
                tenantId,
                roles.stream().map(Role::jsonName).toList(),
                registered.createdAt().toString());
        return ResponseEntity.status(HttpStatus.CREATED)
                .cacheControl(CacheControl.noStore())
                .body(ApiResponse.ok(answer, tenantId));
    }

    @DeleteMapping("/clients/{clientId}")
    ResponseEntity<ApiResponse<RevokedClient>> revoke(RequestTenant tenant, @PathVariable String clientId) {
        grants.requireEnabled();
        boolean platformAdmin = tenant.caller().platformAdmin();
        if (!platformAdmin) {
            tenant.require(Permission.MANAGE_USERS);
        }
        String owner = clients.tenantOf(clientId)
                .filter(t -> platformAdmin || t.equals(tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound("Client"));
        return ResponseEntity.ok(ApiResponse.ok(
                new RevokedClient(clientId, clients.revoke(clientId).toString()), owner));
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiResponse<Tokens>> token(HttpServletRequest request, @RequestBody TokenBody body) {
        return token(request, body.grantType(), body.clientId(), body.clientSecret(), body.refreshToken());
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<ApiResponse<Tokens>> tokenForm(
            HttpServletRequest request, @RequestParam MultiValueMap<String, String> form) {
        return token(
                request,
                single(form, "grant_type"),
                single(form, "client_id"),
                single(form, "client_secret"),
                single(form, REFRESH_TOKEN));
    }

    @PostMapping(path = "/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiResponse<Tokens>> refresh(HttpServletRequest request, @RequestBody TokenBody body) {
        return token(request, REFRESH_TOKEN, null, null, body.refreshToken());
    }

    @PostMapping(path = "/refresh", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<ApiResponse<Tokens>> refreshForm(
            HttpServletRequest request, @RequestParam MultiValueMap<String, String> form) {
        return token(request, REFRESH_TOKEN, null, null, single(form, REFRESH_TOKEN));
    }

    private ResponseEntity<ApiResponse<Tokens>> token(
            HttpServletRequest request, String grantType, String clientId, String clientSecret, String refreshToken) {
        grants.requireEnabled();
        if (request.getQueryString() != null) {
            throw ApiException.validation("Credentials belong in the body, never in the URL");
        }
        Granted granted;
        if (CLIENT_CREDENTIALS.equals(grantType)) {
            failOn(Validation.problems(credential("client_id", clientId), credential("client_secret", clientSecret)));
            granted = grants.clientCredentials(clientId, clientSecret);
        } else if (REFRESH_TOKEN.equals(grantType)) {
            failOn(Validation.problems(credential(REFRESH_TOKEN, refreshToken)));
            granted = grants.refresh(refreshToken);
        } else {
            throw ApiException.validation("grant_type: client_credentials or refresh_token");
        }
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .body(ApiResponse.ok(granted.tokens(), granted.tenantId()));
    }

    private static String credential(String field, String value) {
        if (value == null || value.isBlank()) {
            return field + ": required";
        }
        return value.length() > MAX_CREDENTIAL ? field + ": at most " + MAX_CREDENTIAL + " characters" : null;
    }

    private static String single(MultiValueMap<String, String> form, String name) {
        List<String> values = form.get(name);
        if (values != null && values.size() > 1) {
            throw ApiException.validation(name + ": given more than once");
        }
        return values == null ? null : values.get(0);
    }

    private static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
    }
}
