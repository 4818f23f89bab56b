package io.tessera.command.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Client registration, grants, rotation and reuse detection over HTTP, on the real PostgreSQL and Kafka. */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
class AuthTokensIT {

    private static final String SECRET = "command-side-integration-test-secret-0123456789";
    private static final int ATTEMPTS = 30;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenIssuer tokens = new TokenIssuer(SECRET, null);

    @LocalServerPort
    int port;

    private final JdbcTemplate jdbc = CommandSideTests.admin();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tessera.jwt.secret", () -> SECRET);
        registry.add("tessera.auth.attempts-per-minute", () -> ATTEMPTS);
    }

    @Test
    void aRegisteredClientGetsATokenThatCreatesADeployment() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> registered =
                post("/api/auth/clients", admin(tenant), Map.of("client_id", "ci-bot", "roles", List.of("editor")));

        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode client = json.readTree(registered.body()).get("data");
        assertThat(client.get("client_id").asText()).isEqualTo(tenant + ".ci-bot");
        assertThat(client.get("client_secret").asText()).hasSize(43);
        assertThat(client.get("roles")).hasSize(1);

        HttpResponse<String> granted = grant(client);
        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(granted.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode envelope = json.readTree(granted.body());
        assertThat(envelope.get("success").asBoolean()).isTrue();
        assertThat(envelope.get("tenant_id").asText()).isEqualTo(tenant);
        JsonNode data = envelope.get("data");
        assertThat(data.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(data.get("expires_in").asLong()).isEqualTo(900);
        assertThat(data.get("refresh_token").asText()).hasSize(43);

        JWTClaimsSet claims = SignedJWT.parse(data.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(tenant + ".ci-bot");
        assertThat(claims.getStringClaim("tenant_id")).isEqualTo(tenant);
        assertThat(claims.getStringListClaim("roles")).containsExactly("editor");
        assertThat(claims.getClaim("platform_admin")).isNull();
        assertThat(claims.getExpirationTime().toInstant())
                .isBefore(claims.getIssueTime().toInstant().plusSeconds(901));

        HttpResponse<String> created =
                post("/api/deployments", data.get("access_token").asText(), Map.of("project_name", "shop"));
        assertThat(created.statusCode()).isEqualTo(202);
    }

    @Test
    void acceptsFormEncodedGrants() throws Exception {
        JsonNode client = register(newTenant(), "viewer");
        HttpResponse<String> granted = postForm(
                "/api/auth/token",
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", client.get("client_id").asText(),
                        "client_secret", client.get("client_secret").asText()));
        assertThat(granted.statusCode()).isEqualTo(200);

        String refreshToken = data(granted).get("refresh_token").asText();
        HttpResponse<String> refreshed = postForm("/api/auth/refresh", Map.of("refresh_token", refreshToken));
        assertThat(refreshed.statusCode()).isEqualTo(200);
    }

    @Test
    void limitsTokenRequestsPerClientWrongSecretsIncludedAndLeavesOtherClientsAlone() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        JsonNode other = register(newTenant(), "editor");
        String refreshToken = data(grant(client)).get("refresh_token").asText();
        Map<String, String> guess = Map.of(
                "grant_type", "client_credentials",
                "client_id", client.get("client_id").asText(),
                "client_secret", "guess");
        for (int attempt = 2; attempt <= ATTEMPTS; attempt++) {
            assertThat(post("/api/auth/token", null, guess).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> limited = post("/api/auth/token", null, guess);
        HttpResponse<String> rightSecret = grant(client);
        HttpResponse<String> refreshed = refresh(refreshToken);

        for (HttpResponse<String> refused : List.of(limited, rightSecret, refreshed)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(errorCode(refused)).isEqualTo("RATE_LIMITED");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body())
                    .doesNotContain(client.get("client_secret").asText());
        }
        // The refused refresh spent nothing; the other client is not slowed down.
        assertThat(grant(other).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM auth_refresh_token WHERE used_at IS NOT NULL AND family_id IN"
                                + " (SELECT family_id FROM auth_token_family WHERE client_id = ?)",
                        Integer.class,
                        client.get("client_id").asText()))
                .isZero();
    }

    @Test
    void answersWrongSecretAndUnknownClientAlikeWith401() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        HttpResponse<String> wrongSecret = post(
                "/api/auth/token",
                null,
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", client.get("client_id").asText(),
                        "client_secret", "not-the-secret"));
        HttpResponse<String> unknownClient = post(
                "/api/auth/token",
                null,
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", "nobody.nothing",
                        "client_secret", client.get("client_secret").asText()));

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(errorCode(wrongSecret)).isEqualTo("UNAUTHENTICATED");
        assertThat(unknownClient.statusCode()).isEqualTo(401);
        assertThat(unknownClient.body()).isEqualTo(wrongSecret.body());
    }

    @Test
    void refreshRotatesTheTokenAndTheNewAccessTokenWorks() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        JsonNode first = data(grant(client));

        HttpResponse<String> refreshed = refresh(first.get("refresh_token").asText());

        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode second = data(refreshed);
        assertThat(second.get("refresh_token").asText())
                .isNotEqualTo(first.get("refresh_token").asText());
        assertThat(second.get("access_token").asText())
                .isNotEqualTo(first.get("access_token").asText());
        assertThat(post("/api/deployments", second.get("access_token").asText(), Map.of("project_name", "p"))
                        .statusCode())
                .isEqualTo(202);
        assertThat(refresh(second.get("refresh_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void reuseOfASpentRefreshTokenRevokesTheWholeFamily() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        String original = data(grant(client)).get("refresh_token").asText();
        String second = data(refresh(original)).get("refresh_token").asText();
        String newest = data(refresh(second)).get("refresh_token").asText();
        String otherFamily = data(grant(client)).get("refresh_token").asText();

        HttpResponse<String> reused = refresh(original);

        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(errorCode(reused)).isEqualTo("UNAUTHENTICATED");
        assertThat(refresh(newest).statusCode()).isEqualTo(401);
        assertThat(jdbc.queryForObject(
                        "SELECT revoked_reason FROM auth_token_family f JOIN auth_refresh_token t"
                                + " ON t.family_id = f.family_id WHERE t.token_hash = ?",
                        String.class,
                        Secrets.sha256(newest)))
                .isEqualTo("reuse");
        assertThat(refresh(otherFamily).statusCode()).isEqualTo(200);
    }

    @Test
    void ofConcurrentRefreshesOfOneTokenExactlyOneWins() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        String refreshToken = data(grant(client)).get("refresh_token").asText();
        int attempts = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            Callable<HttpResponse<String>> attempt = () -> {
                start.await();
                return refresh(refreshToken);
            };
            answers.add(pool.submit(attempt));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            statuses.add(answer.get().statusCode());
        }
        pool.shutdown();

        assertThat(statuses).containsOnly(200, 401);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
    }

    @Test
    void storesNeitherRefreshTokensNorClientSecretsInTheClear() throws Exception {
        String tenant = newTenant();
        JsonNode client = register(tenant, "editor");
        String secret = client.get("client_secret").asText();
        String original = data(grant(client)).get("refresh_token").asText();
        String rotated = data(refresh(original)).get("refresh_token").asText();

        String tokenRows = String.join(
                "\n",
                jdbc.queryForList(
                        "SELECT t::text FROM auth_refresh_token t JOIN auth_token_family f USING (family_id)"
                                + " WHERE f.client_id = ?",
                        String.class,
                        client.get("client_id").asText()));
        String clientRows = String.join(
                "\n", jdbc.queryForList("SELECT c::text FROM auth_client c WHERE tenant_id = ?", String.class, tenant));

        assertThat(tokenRows).doesNotContain(original).doesNotContain(rotated);
        assertThat(tokenRows)
                .contains(HexFormat.of().formatHex(Secrets.sha256(original)))
                .contains(HexFormat.of().formatHex(Secrets.sha256(rotated)));
        assertThat(clientRows).doesNotContain(secret).contains("{pbkdf2@SpringSecurity_v5_8}");
    }

    @Test
    void anExpiredRefreshTokenIsRefused() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        String refreshToken = data(grant(client)).get("refresh_token").asText();
        jdbc.update(
                "UPDATE auth_refresh_token SET expires_at = now() - interval '1 second' WHERE token_hash = ?",
                Secrets.sha256(refreshToken));

        assertThat(refresh(refreshToken).statusCode()).isEqualTo(401);
    }

    @Test
    void aRevokedClientGetsNoTokensAndItsRefreshTokensStopWorking() throws Exception {
        String tenant = newTenant();
        JsonNode client = register(tenant, "editor");
        String refreshToken = data(grant(client)).get("refresh_token").asText();

        HttpResponse<String> revoked =
                send("DELETE", "/api/auth/clients/" + client.get("client_id").asText(), admin(tenant));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(grant(client).statusCode()).isEqualTo(401);
        assertThat(refresh(refreshToken).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyTheTenantsAdminOrAPlatformAdminRegistersClients() throws Exception {
        String tenant = newTenant();
        Map<String, Object> body = Map.of("roles", List.of("viewer"));

        assertThat(post("/api/auth/clients", null, body).statusCode()).isEqualTo(401);
        HttpResponse<String> byEditor = post(
                "/api/auth/clients",
                tokens.issue("bob", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofMinutes(5)),
                body);
        assertThat(byEditor.statusCode()).isEqualTo(403);
        HttpResponse<String> forAnotherTenant =
                post("/api/auth/clients", admin(tenant), Map.of("roles", List.of("viewer"), "tenant_id", newTenant()));
        assertThat(forAnotherTenant.statusCode()).isEqualTo(403);
        assertThat(errorCode(forAnotherTenant)).isEqualTo("TENANT_FORBIDDEN");

        String other = newTenant();
        HttpResponse<String> byPlatformAdmin = post(
                "/api/auth/clients",
                tokens.issue("root", "platform", List.of(), List.of(), true, Duration.ofMinutes(5)),
                Map.of("roles", List.of("viewer"), "tenant_id", other));
        assertThat(byPlatformAdmin.statusCode()).isEqualTo(201);
        assertThat(data(byPlatformAdmin).get("client_id").asText()).startsWith(other + ".");
    }

    @Test
    void refusesMalformedRequestsWith400() throws Exception {
        String tenant = newTenant();
        JsonNode client = register(tenant, "editor");
        String clientId = client.get("client_id").asText();

        HttpResponse<String> noSecret =
                post("/api/auth/token", null, Map.of("grant_type", "client_credentials", "client_id", clientId));
        HttpResponse<String> unknownGrant = post("/api/auth/token", null, Map.of("grant_type", "password"));
        HttpResponse<String> notJson = postRaw("/api/auth/token", "{not json");
        HttpResponse<String> inTheUrl = post(
                "/api/auth/token?client_secret=" + client.get("client_secret").asText(),
                null,
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", "x"));
        HttpResponse<String> noRefreshToken = post("/api/auth/refresh", null, Map.of());
        HttpResponse<String> badRoles = post("/api/auth/clients", admin(tenant), Map.of("roles", List.of("root")));
        HttpResponse<String> badName =
                post("/api/auth/clients", admin(tenant), Map.of("client_id", "Not A Name", "roles", List.of("viewer")));

        for (HttpResponse<String> response :
                List.of(noSecret, unknownGrant, notJson, inTheUrl, noRefreshToken, badRoles, badName)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("VALIDATION_FAILED");
        }
    }

    @Test
    void aDuplicateClientIdConflictsOnlyWithinItsTenant() throws Exception {
        String tenant = newTenant();
        Map<String, Object> body = Map.of("client_id", "deployer", "roles", List.of("editor"));
        assertThat(post("/api/auth/clients", admin(tenant), body).statusCode()).isEqualTo(201);
        assertThat(post("/api/auth/clients", admin(tenant), body).statusCode()).isEqualTo(409);
        String other = newTenant();
        assertThat(post("/api/auth/clients", admin(other), body).statusCode()).isEqualTo(201);
    }

    private JsonNode register(String tenant, String role) throws Exception {
        HttpResponse<String> response = post("/api/auth/clients", admin(tenant), Map.of("roles", List.of(role)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return data(response);
    }

    private HttpResponse<String> grant(JsonNode client) throws Exception {
        return post(
                "/api/auth/token",
                null,
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", client.get("client_id").asText(),
                        "client_secret", client.get("client_secret").asText()));
    }

    private HttpResponse<String> refresh(String refreshToken) throws Exception {
        return post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken));
    }

    private HttpResponse<String> post(String path, String bearer, Object body) throws Exception {
        HttpRequest.Builder request = request(path, bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> postRaw(String path, String body) throws Exception {
        HttpRequest.Builder request = request(path, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
        String form = new LinkedHashMap<>(fields)
                .entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(path, null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = request(path, bearer).method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    private JsonNode data(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return json.readTree(response.body()).get("data");
    }

    private String errorCode(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).at("/error/code").asText();
    }

    private String admin(String tenant) {
        return tokens.issue("ada", tenant, List.of(Role.ADMIN), List.of(), false, Duration.ofMinutes(5));
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
