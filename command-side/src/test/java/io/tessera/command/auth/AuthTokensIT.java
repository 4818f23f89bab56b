package io.tessera.command.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import io.tessera.command.TopicProbe;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.ratelimit.RateLimitAutoConfiguration;
import io.tessera.infra.ratelimit.RateLimitSettings;
import io.tessera.infra.ratelimit.TenantRateLimiter;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
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

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tessera.jwt.secret", () -> SECRET);
        registry.add("tessera.auth.attempts-per-minute", () -> ATTEMPTS);
        // Every request of this class comes from 127.0.0.1; the address limit has tests of its own below.
        registry.add("tessera.auth.failed-attempts-per-address", () -> 10_000);
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
        assertThat(granted.headers().firstValue("Deprecation")).isPresent();
        assertThat(granted.headers().firstValue("Link")).hasValue("</oauth2/token>; rel=\"successor-version\"");
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
    void limitsFailedAttemptsPerClientButNeverLocksOutTheRightSecret() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        JsonNode other = register(newTenant(), "editor");
        String refreshToken = data(grant(client)).get("refresh_token").asText();
        Map<String, String> guess = Map.of(
                "grant_type", "client_credentials",
                "client_id", client.get("client_id").asText(),
                "client_secret", "guess");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            assertThat(post("/api/auth/token", null, guess).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> limited = post("/api/auth/token", null, guess);
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(errorCode(limited)).isEqualTo("RATE_LIMITED");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();

        assertThat(grant(client).statusCode()).isEqualTo(200);
        assertThat(refresh(refreshToken).statusCode()).isEqualTo(200);
        assertThat(grant(other).statusCode()).isEqualTo(200);
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
        assertThat(clientRows)
                .doesNotContain(secret)
                .contains("{sha256}" + HexFormat.of().formatHex(Secrets.sha256(secret)));
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

    // Delegation, listing and revocation (issue 19, point 1)

    @Test
    void anAdminGrantsAtMostTheRolesItHoldsAndAuditorOnlyAnAuditorOrPlatformAdminGrants() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> auditorByAdmin =
                post("/api/auth/clients", admin(tenant), Map.of("roles", List.of("viewer", "auditor")));
        assertThat(auditorByAdmin.statusCode()).as(auditorByAdmin.body()).isEqualTo(403);
        assertThat(errorCode(auditorByAdmin)).isEqualTo("FORBIDDEN");
        assertThat(auditorByAdmin.body()).contains("auditor");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM auth_client WHERE tenant_id = ?", Integer.class, tenant))
                .isZero();

        assertThat(post("/api/auth/clients", admin(tenant), Map.of("roles", List.of("viewer", "editor", "admin")))
                        .statusCode())
                .isEqualTo(201);
        String adminAndAuditor =
                tokens.issue("ada", tenant, List.of(Role.ADMIN, Role.AUDITOR), List.of(), false, Duration.ofMinutes(5));
        assertThat(post("/api/auth/clients", adminAndAuditor, Map.of("roles", List.of("auditor")))
                        .statusCode())
                .isEqualTo(201);
        assertThat(post("/api/auth/clients", platformAdmin(), Map.of("roles", List.of("auditor"), "tenant_id", tenant))
                        .statusCode())
                .isEqualTo(201);
        String auditorOnly =
                tokens.issue("aud", tenant, List.of(Role.AUDITOR), List.of(), false, Duration.ofMinutes(5));
        assertThat(post("/api/auth/clients", auditorOnly, Map.of("roles", List.of("auditor")))
                        .statusCode())
                .as("registering needs admin")
                .isEqualTo(403);
    }

    @Test
    void aTenantsAdminListsItsClientsPageByPageWithoutSecrets() throws Exception {
        String tenant = newTenant();
        List<String> secrets = new ArrayList<>();
        for (String name : List.of("c-one", "c-two", "c-three")) {
            HttpResponse<String> registered =
                    post("/api/auth/clients", admin(tenant), Map.of("client_id", name, "roles", List.of("viewer")));
            secrets.add(data(registered).get("client_secret").asText());
        }
        register(newTenant(), "viewer");
        send("DELETE", "/api/auth/clients/" + tenant + ".c-two", admin(tenant));

        HttpResponse<String> first = send("GET", "/api/auth/clients?limit=2", admin(tenant));
        JsonNode firstPage = json.readTree(first.body());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(firstPage.at("/pagination/total").asLong()).isEqualTo(3);
        assertThat(firstPage.at("/pagination/has_next").asBoolean()).isTrue();
        String cursor = firstPage.at("/pagination/cursor").asText();
        HttpResponse<String> second = send("GET", "/api/auth/clients?limit=2&cursor=" + cursor, admin(tenant));
        JsonNode secondPage = json.readTree(second.body());
        assertThat(secondPage.at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(secondPage.at("/pagination/cursor").isNull()).isTrue();

        List<JsonNode> listed = new ArrayList<>();
        firstPage.get("data").forEach(listed::add);
        secondPage.get("data").forEach(listed::add);
        assertThat(listed)
                .extracting(c -> c.get("client_id").asText())
                .containsExactly(tenant + ".c-one", tenant + ".c-three", tenant + ".c-two");
        assertThat(listed.get(2).get("revoked_at").isNull()).isFalse();
        assertThat(listed.get(0).get("revoked_at").isNull()).isTrue();
        assertThat(listed.get(0).get("created_by").asText()).isEqualTo("ada");
        assertThat(listed.get(0).has("client_secret")).isFalse();
        for (String secret : secrets) {
            assertThat(first.body() + second.body()).doesNotContain(secret);
        }
    }

    @Test
    void anAttackerWithAnotherTenantsTokenCannotSeeRevokeOrRegisterThisTenantsClients() throws Exception {
        String victim = newTenant();
        JsonNode client = register(victim, "editor");
        String clientId = client.get("client_id").asText();
        String attacker = newTenant();
        register(attacker, "viewer");
        String attackerAdmin = admin(attacker);

        HttpResponse<String> foreign = send("DELETE", "/api/auth/clients/" + clientId, attackerAdmin);
        HttpResponse<String> unknown = send("DELETE", "/api/auth/clients/" + attacker + ".nothing", attackerAdmin);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(unknown.body().replace(attacker + ".nothing", clientId));
        assertThat(errorCode(foreign)).isEqualTo("NOT_FOUND");

        HttpResponse<String> listed = send("GET", "/api/auth/clients", attackerAdmin);
        assertThat(listed.body()).doesNotContain(victim);
        HttpResponse<String> asVictim = http.send(
                request("/api/auth/clients", attackerAdmin)
                        .header("X-Tenant-ID", victim)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asVictim.statusCode()).isEqualTo(403);
        assertThat(errorCode(asVictim)).isEqualTo("TENANT_FORBIDDEN");
        String victimsCursor = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((victim + ".a").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> stolenCursor = send("GET", "/api/auth/clients?cursor=" + victimsCursor, attackerAdmin);
        assertThat(stolenCursor.statusCode()).isEqualTo(400);
        assertThat(errorCode(stolenCursor)).isEqualTo("VALIDATION_FAILED");
        HttpResponse<String> register =
                post("/api/auth/clients", attackerAdmin, Map.of("roles", List.of("viewer"), "tenant_id", victim));
        assertThat(register.statusCode()).isEqualTo(403);

        String victimEditor =
                tokens.issue("eve", victim, List.of(Role.EDITOR), List.of(), false, Duration.ofMinutes(5));
        assertThat(send("GET", "/api/auth/clients", victimEditor).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/auth/clients/" + clientId, victimEditor).statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/api/auth/clients?limit=0", admin(victim)).statusCode())
                .isEqualTo(400);
        assertThat(grant(client).statusCode()).isEqualTo(200);
    }

    @Test
    void registrationAndRevocationAreEventsOfTheTenantWithTheirActorAndNoSecret() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> registered = post(
                "/api/auth/clients",
                platformAdmin(),
                Map.of("roles", List.of("editor", "viewer"), "tenant_id", tenant));
        JsonNode client = data(registered);
        String clientId = client.get("client_id").asText();
        String secret = client.get("client_secret").asText();
        assertThat(send("DELETE", "/api/auth/clients/" + clientId, admin(tenant))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("DELETE", "/api/auth/clients/" + clientId, admin(tenant))
                        .statusCode())
                .as("a second revocation changes nothing")
                .isEqualTo(200);

        try (TopicProbe events = CommandSideTests.probe(Topics.EVENTS)) {
            List<JsonNode> ofClient = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> events.records().stream()
                                    .filter(r ->
                                            tenant.equals(r.key()) && r.value().contains(clientId))
                                    .map(r -> readTree(r.value()))
                                    .toList(),
                            records -> records.size() >= 2);
            assertThat(ofClient)
                    .extracting(e -> e.get("type").asText())
                    .containsExactly("tessera.client.registered.v1", "tessera.client.revoked.v1");
            assertThat(ofClient).extracting(e -> e.get("actor").asText()).containsExactly("root", "ada");
            assertThat(ofClient).allSatisfy(e -> {
                assertThat(e.get("subject").asText()).isEqualTo(clientId);
                assertThat(e.get("tenantid").asText()).isEqualTo(tenant);
                assertThat(e.toString())
                        .doesNotContain(secret)
                        .doesNotContain(HexFormat.of().formatHex(Secrets.sha256(secret)));
            });
            assertThat(ofClient.get(0).at("/data/roles").toString()).isEqualTo("[\"viewer\",\"editor\"]");
        }
    }

    // Secrets as digests and the failure limits (issue 19, point 2)

    @Test
    void aSecretStoredAsPbkdf2ByAnEarlierVersionStillWorksAndIsThenStoredAsADigest() throws Exception {
        String tenant = newTenant();
        String clientId = tenant + ".legacy";
        String secret = Secrets.random256();
        jdbc.update(
                "INSERT INTO auth_client (client_id, tenant_id, secret_hash, roles, created_by) VALUES (?, ?, ?, ?, ?)",
                clientId,
                tenant,
                ClientSecrets.LEGACY
                        + Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(secret),
                "editor",
                "ada");
        JsonNode legacy = json.createObjectNode().put("client_id", clientId).put("client_secret", secret);

        assertThat(grant(legacy).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject(
                        "SELECT secret_hash FROM auth_client WHERE client_id = ?", String.class, clientId))
                .isEqualTo(ClientSecrets.encode(secret));
        assertThat(grant(legacy).statusCode()).isEqualTo(200);
    }

    @Test
    void anAddressPastItsFailureLimitWaitsAShortBackOffThenItsRightSecretPasses() {
        MutableClock clock = new MutableClock();
        ClientAttempts attempts = attempts(100, 3, Duration.ofSeconds(2), clock);
        String address = "198.51.100.7/" + UUID.randomUUID();
        String clientId = newTenant() + ".ci";

        for (int failure = 1; failure <= 3; failure++) {
            assertThat(attempts.failed(clientId, address)).isEmpty();
        }
        assertThat(attempts.failed(clientId, address))
                .hasValueSatisfying(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(2)));
        assertThat(attempts.refusal(address)).isPresent();
        assertThat(attempts.refusal("203.0.113.9")).as("another address").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        assertThat(attempts.refusal(address))
                .as("back-off over: the next attempt is checked")
                .isEmpty();
    }

    @Test
    void aClientPastItsFailureLimitIsNeverRefusedBeforeItsSecretIsChecked() {
        ClientAttempts attempts = attempts(2, 100, Duration.ofSeconds(2), new MutableClock());
        String clientId = newTenant() + ".ci";
        for (int address = 1; address <= 2; address++) {
            assertThat(attempts.failed(clientId, "192.0.2." + address)).isEmpty();
        }
        assertThat(attempts.failed(clientId, "192.0.2.3")).isPresent();
        assertThat(attempts.refusal("192.0.2.3"))
                .as("the client's failures put no address, and so no right secret, into back-off")
                .isEmpty();
    }

    // POST /oauth2/token (issue 19, point 3)

    @Test
    void springSecuritysOAuth2ClientGetsATokenByBasicOrBodyAndTheApiTakesIt() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        for (ClientAuthenticationMethod method : List.of(
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            ClientRegistration registration = ClientRegistration.withRegistrationId("tessera")
                    .clientId(client.get("client_id").asText())
                    .clientSecret(client.get("client_secret").asText())
                    .clientAuthenticationMethod(method)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .tokenUri("http://127.0.0.1:" + port + "/oauth2/token")
                    .build();

            OAuth2AccessTokenResponse response = new RestClientClientCredentialsTokenResponseClient()
                    .getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration));

            assertThat(response.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.BEARER);
            assertThat(response.getAccessToken().getScopes()).containsExactly("editor");
            assertThat(response.getRefreshToken()).as("RFC 6749 §4.4.3").isNull();
            HttpResponse<String> created =
                    post("/api/deployments", response.getAccessToken().getTokenValue(), Map.of("project_name", "shop"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        }
    }

    @Test
    void theTokenEndpointAnswersAsRfc6749OutsideTheEnvelope() throws Exception {
        JsonNode client = register(newTenant(), "editor");
        String id = client.get("client_id").asText();
        String secret = client.get("client_secret").asText();

        HttpResponse<String> ok = oauth(basic(id, secret), "grant_type=client_credentials");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(ok.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode token = json.readTree(ok.body());
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isEqualTo(900);
        assertThat(token.get("scope").asText()).isEqualTo("editor");
        assertThat(token.has("refresh_token")).isFalse();
        assertThat(token.has("success")).isFalse();

        HttpResponse<String> narrowed = oauth(basic(id, secret), "grant_type=client_credentials&scope=editor");
        assertThat(narrowed.statusCode()).isEqualTo(200);

        String body = "grant_type=client_credentials&client_id=" + encode(id) + "&client_secret=" + encode(secret);
        Map<String, HttpResponse<String>> refused = new LinkedHashMap<>();
        refused.put(
                "invalid_client 401 wrong secret, Basic", oauth(basic(id, "wrong"), "grant_type=client_credentials"));
        refused.put("invalid_client 401 wrong secret, body", oauth(null, body.replace(encode(secret), "wrong")));
        refused.put(
                "invalid_client 401 unknown client", oauth(basic(id + "x", secret), "grant_type=client_credentials"));
        refused.put("invalid_client 401 no client authentication", oauth(null, "grant_type=client_credentials"));
        refused.put("invalid_client 401 malformed Basic", oauth("Basic !!!", "grant_type=client_credentials"));
        refused.put("invalid_client 401 a bearer token", oauth("Bearer x.y.z", "grant_type=client_credentials"));
        refused.put(
                "invalid_client 401 a client id no registration makes",
                oauth(null, "grant_type=client_credentials&client_id=%00" + encode(id) + "&client_secret=x"));
        refused.put("invalid_request 400 Basic and body", oauth(basic(id, secret), body));
        refused.put("invalid_request 400 no grant_type", oauth(basic(id, secret), "scope=editor"));
        refused.put(
                "invalid_request 400 repeated parameter",
                oauth(basic(id, secret), "grant_type=client_credentials&grant_type=client_credentials"));
        refused.put(
                "invalid_request 400 credentials in the URL",
                oauthTo("/oauth2/token?client_secret=" + encode(secret), null, body, FORM));
        refused.put(
                "invalid_request 400 JSON body",
                oauthTo(
                        "/oauth2/token",
                        basic(id, secret),
                        "{\"grant_type\":\"client_credentials\"}",
                        "application/json"));
        refused.put(
                "unsupported_grant_type 400 password",
                oauth(basic(id, secret), "grant_type=password&username=a&password=b"));
        refused.put(
                "unsupported_grant_type 400 refresh_token",
                oauth(basic(id, secret), "grant_type=refresh_token&refresh_token=x"));
        refused.put(
                "invalid_scope 400 a role the client lacks",
                oauth(basic(id, secret), "grant_type=client_credentials&scope=auditor"));
        refused.put(
                "invalid_scope 400 not a role", oauth(basic(id, secret), "grant_type=client_credentials&scope=root"));

        refused.forEach((expected, response) -> {
            String[] parts = expected.split(" ");
            assertThat(response.statusCode())
                    .as(expected + ": " + response.body())
                    .isEqualTo(Integer.parseInt(parts[1]));
            JsonNode error = readTree(response.body());
            assertThat(error.get("error").asText()).as(expected).isEqualTo(parts[0]);
            assertThat(error.has("success")).as(expected).isFalse();
            assertThat(response.headers().firstValue("Cache-Control"))
                    .as(expected)
                    .hasValue("no-store");
            if (response.statusCode() == 401) {
                assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                        .as(expected)
                        .startsWith("Basic");
            }
            assertThat(response.body()).doesNotContain(secret);
        });
    }

    @Test
    void aRevokedClientGetsNoTokenFromTheOAuthEndpoint() throws Exception {
        String tenant = newTenant();
        JsonNode client = register(tenant, "editor");
        String id = client.get("client_id").asText();
        send("DELETE", "/api/auth/clients/" + id, admin(tenant));

        HttpResponse<String> refused =
                oauth(basic(id, client.get("client_secret").asText()), "grant_type=client_credentials");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(readTree(refused.body()).get("error").asText()).isEqualTo("invalid_client");
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    private HttpResponse<String> oauth(String authorization, String form) throws Exception {
        return oauthTo("/oauth2/token", authorization, form, FORM);
    }

    private HttpResponse<String> oauthTo(String path, String authorization, String body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** RFC 6749 §2.3.1: id and secret form-urlencoded, then joined and base64-encoded. */
    private static String basic(String id, String secret) {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((encode(id) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private ClientAttempts attempts(int perClient, int perAddress, Duration backOff, Clock clock) {
        return new ClientAttempts(
                new TenantRateLimiter(
                        RateLimitAutoConfiguration.buckets(dataSource),
                        new RateLimitSettings(true, perClient, Map.of(), null),
                        "auth-client-test"),
                new TenantRateLimiter(
                        RateLimitAutoConfiguration.buckets(dataSource),
                        new RateLimitSettings(true, perAddress, Map.of(), null),
                        "auth-address-test-" + UUID.randomUUID()),
                backOff,
                clock);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private JsonNode readTree(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String platformAdmin() {
        return tokens.issue("root", "platform", List.of(), List.of(), true, Duration.ofMinutes(5));
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
