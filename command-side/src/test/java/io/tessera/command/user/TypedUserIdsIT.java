package io.tessera.command.user;

import static io.tessera.command.CommandSideTests.newTenant;
import static io.tessera.command.CommandSideTests.platformAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import io.tessera.events.user.Role;
import io.tessera.infra.pii.PiiCipher;
import io.tessera.infra.pii.PiiVault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An address typed where a user id belongs ({@code DELETE /api/users/alice@example.com}) is refused, and is
 * stored nowhere in clear: the refusal in the event store, its idempotency record and the refusal of a caller
 * without the role keep it sealed with the tenant's data key, which opens it until the key is shredded.
 */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
class TypedUserIdsIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JdbcTemplate jdbc = CommandSideTests.admin();

    @LocalServerPort
    int port;

    @Autowired
    PiiVault vault;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    @Test
    void aTypedAddressIsSealedBeforeItIsStoredAndUnreadableOnceShredded() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> created = send(
                platformAdmin(),
                "POST",
                "/api/tenants",
                json.writeValueAsString(Map.of("id", tenant, "name", tenant, "slug", tenant)),
                null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String alice = "alice." + RUN + "@example.com";
        String bob = "bob." + RUN + "@example.com";
        String admin = CommandSideTests.TOKENS.issue(
                "ada", tenant, List.of(Role.ADMIN), List.of(), false, Duration.ofMinutes(5));
        String viewer = CommandSideTests.TOKENS.issue(
                "vic", tenant, List.of(Role.VIEWER), List.of(), false, Duration.ofMinutes(5));

        HttpResponse<String> notAUser = delete(admin, "/api/users/" + alice, "key-" + RUN);
        assertThat(notAUser.statusCode()).as(notAUser.body()).isEqualTo(404);
        assertThat(notAUser.body()).doesNotContain(alice);
        HttpResponse<String> noRole = delete(viewer, "/api/users/" + bob, null);
        assertThat(noRole.statusCode()).as(noRole.body()).isEqualTo(403);

        List<String> refusedIds = new ArrayList<>();
        for (String payload : jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') FROM command_side.domain_event_entry"
                        + " WHERE payload_type LIKE '%CommandRejected' AND convert_from(payload, 'UTF8') LIKE ?",
                String.class, "%" + tenant + "%")) {
            refusedIds.add(json.readTree(payload).path("resource_id").asText());
        }
        assertThat(refusedIds).hasSize(2).allSatisfy(id -> assertThat(id).startsWith(PiiCipher.PREFIX));
        assertThat(refusedIds)
                .extracting(id -> vault.reveal(tenant, "resource_id", id))
                .containsExactlyInAnyOrder(alice, bob);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM command_side.domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?"
                                + " OR convert_from(meta_data, 'UTF8') LIKE ? OR convert_from(payload, 'UTF8') LIKE ?",
                        Integer.class,
                        "%" + alice + "%",
                        "%" + RUN + "@%",
                        "%" + bob + "%"))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM command_side.command_log WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM command_side.command_log WHERE tenant_id = ?"
                                + " AND (resource_id LIKE ? OR error_message LIKE ?)",
                        Integer.class,
                        tenant,
                        "%" + RUN + "%",
                        "%" + RUN + "%"))
                .isZero();

        HttpResponse<String> shredded = delete(platformAdmin(), "/api/tenants/" + tenant + "/data-keys", null);
        assertThat(shredded.statusCode()).as(shredded.body()).isEqualTo(202);
        assertThat(refusedIds)
                .allSatisfy(id ->
                        assertThat(vault.reveal(tenant, "resource_id", id)).isNull());
    }

    private HttpResponse<String> delete(String bearer, String path, String idempotencyKey) throws Exception {
        return send(bearer, "DELETE", path, null, idempotencyKey);
    }

    private HttpResponse<String> send(String bearer, String method, String path, String body, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
