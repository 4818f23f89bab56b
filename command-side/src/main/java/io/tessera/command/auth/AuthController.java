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
import io.tessera.infra.web.Pagination;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's clients: {@code POST /api/auth/clients} (a tenant admin or a platform admin registers an upstream
 * system with at most the roles it holds itself; the secret is answered once), {@code GET /api/auth/clients}
 * (cursor-paginated, secrets never shown) and {@code DELETE /api/auth/clients/{id}}. Also the two bearer-free
 * endpoints of the first version, kept for the callers built on them and marked deprecated in favour of
 * {@code POST /oauth2/token}: {@code POST /api/auth/token} (client credentials, or
 * {@code grant_type=refresh_token}) and {@code POST /api/auth/refresh}, each in JSON or form encoding.
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

    record ListedClient(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("tenant_id") String tenantId,
            @JsonProperty("roles") List<String> roles,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("revoked_at") String revokedAt) {}

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
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;
    /** RFC 9745's header, and the endpoint that replaces the deprecated ones (RFC 8288 link). */
    private static final String DEPRECATION = "@1796601600";

    private static final String SUCCESSOR = "</oauth2/token>; rel=\"successor-version\"";

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
        Set<Role> beyondCaller = EnumSet.copyOf(roles);
        beyondCaller.removeAll(Delegation.grantableBy(tenant.caller()));
        if (!beyondCaller.isEmpty()) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "A client gets at most the roles of whoever registers it; not yours: "
                            + beyondCaller.stream().map(Role::jsonName).sorted().toList());
        }
        if (tenants.isOffboarded(tenantId)) {
            throw new ApiException(ErrorCode.TENANT_SUSPENDED, "The tenant is offboarded; it gets no new clients");
        }
        Registered registered =
                clients.register(tenantId, name, roles, tenant.caller().subject());
        RegisteredClient answer = new RegisteredClient(
                registered.client().clientId(),
                registered.secret(),
                tenantId,
                registered.client().sortedRoles().stream().map(Role::jsonName).toList(),
                registered.createdAt().toString());
        return ResponseEntity.status(HttpStatus.CREATED)
                .cacheControl(CacheControl.noStore())
                .body(ApiResponse.ok(answer, tenantId));
    }

    @GetMapping("/clients")
    ApiResponse<List<ListedClient>> list(
            RequestTenant tenant,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "limit", required = false) String limit) {
        grants.requireEnabled();
        if (!tenant.caller().platformAdmin()) {
            tenant.require(Permission.MANAGE_USERS);
        }
        int size = limitOf(limit);
        String after = cursor == null ? null : ClientCursor.decode(cursor, tenant.tenantId());
        List<ClientCredentials.Listed> fetched = clients.list(tenant.tenantId(), after, size + 1);
        boolean hasNext = fetched.size() > size;
        List<ClientCredentials.Listed> page = hasNext ? fetched.subList(0, size) : fetched;
        long total = clients.count(tenant.tenantId());
        String next =
                hasNext ? ClientCursor.encode(page.get(page.size() - 1).client().clientId()) : null;
        return ApiResponse.page(
                page.stream().map(AuthController::listed).toList(),
                new Pagination(null, size, total, (total + size - 1) / size, hasNext, after != null, next),
                tenant.tenantId());
    }

    /** For a tenant's admin, another tenant's client is the same 404 as one that does not exist. */
    @DeleteMapping("/clients/{clientId}")
    ResponseEntity<ApiResponse<RevokedClient>> revoke(RequestTenant tenant, @PathVariable String clientId) {
        grants.requireEnabled();
        boolean platformAdmin = tenant.caller().platformAdmin();
        if (!platformAdmin) {
            tenant.require(Permission.MANAGE_USERS);
        }
        String owner = (Client.isWellFormedId(clientId) ? clients.tenantOf(clientId) : Optional.<String>empty())
                .filter(t -> platformAdmin || t.equals(tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound("Client"));
        Instant revokedAt = clients.revoke(owner, clientId, tenant.caller().subject());
        return ResponseEntity.ok(ApiResponse.ok(new RevokedClient(clientId, revokedAt.toString()), owner));
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
            granted = grants.clientCredentials(clientId, clientSecret, request.getRemoteAddr());
        } else if (REFRESH_TOKEN.equals(grantType)) {
            failOn(Validation.problems(credential(REFRESH_TOKEN, refreshToken)));
            granted = grants.refresh(refreshToken, request.getRemoteAddr());
        } else {
            throw ApiException.validation("grant_type: client_credentials or refresh_token");
        }
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .header("Deprecation", DEPRECATION)
                .header("Link", SUCCESSOR)
                .body(ApiResponse.ok(granted.tokens(), granted.tenantId()));
    }

    private static ListedClient listed(ClientCredentials.Listed client) {
        return new ListedClient(
                client.client().clientId(),
                client.client().tenantId(),
                client.client().sortedRoles().stream().map(Role::jsonName).toList(),
                client.createdBy(),
                client.createdAt().toString(),
                client.revokedAt() == null ? null : client.revokedAt().toString());
    }

    private static int limitOf(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_LIMIT) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation("limit: a whole number from 1 to " + MAX_LIMIT);
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
