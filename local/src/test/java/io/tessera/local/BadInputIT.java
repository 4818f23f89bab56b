package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Bad input and abuse against the whole running system, over real HTTP: malformed and hostile bodies, path
 * ids, cursors, list parameters, SQL injection in every filter, look-alike tenant headers, mass assignment,
 * role escalation and commands against deleted aggregates. Every refusal is a 4xx envelope ({@code success}
 * false, an {@code error.code}); nothing is written (the event store's row count is unchanged but for the
 * refusals' own audit events, {@code CommandRejected}); and no answer carries any of the foreign tenant's marker
 * strings.
 */
class BadInputIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String OWN = "bad-own-" + RUN;
    private static final String FOREIGN = "bad-fgnmark-" + RUN;
    private static final String FOREIGN_PROJECT = "FGNMARK-project-" + RUN;

    private static SecurityFixture system;
    private static String editor;
    private static String viewer;
    private static String admin;
    private static String foreignDeployment;
    private static final List<String> foreignMarkers = new ArrayList<>();
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(@TempDir Path home) {
        system = SecurityFixture.start(home);
        String platform = system.token("bad-setup", "bad-setup", List.of(), true);
        for (String tenant : List.of(OWN, FOREIGN)) {
            SecurityFixture.Answer created = system.command(
                    "POST", "/api/tenants", platform, Map.of("id", tenant, "name", tenant, "slug", tenant));
            assertThat(created.status()).as(created.describe()).isEqualTo(202);
        }
        editor = system.token(OWN, Role.EDITOR);
        viewer = system.token(OWN, Role.VIEWER);
        admin = system.token(OWN, Role.ADMIN);
        String foreignEditor = system.token(FOREIGN, Role.EDITOR);
        foreignDeployment = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", foreignEditor, Map.of("project_name", FOREIGN_PROJECT)));
        for (int i = 0; i < 3; i++) {
            SecurityFixture.acceptedId(
                    system.command("POST", "/api/deployments", editor, Map.of("project_name", "own-" + i)));
        }
        foreignMarkers.addAll(List.of(FOREIGN, FOREIGN_PROJECT, foreignDeployment, "fgnmark", "FGNMARK"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(system.query("/api/deployments", viewer).data().size()).isEqualTo(3);
            assertThat(system.query("/api/deployments/" + foreignDeployment, foreignEditor)
                            .status())
                    .isEqualTo(200);
        });
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void malformedJsonIsA400AndWritesNothing() {
        long events = eventRows();
        for (String body :
                List.of("{", "{\"project_name\":}", "[]", "\"shop\"", "null", "", "{\"project_name\":\"a\"} {}")) {
            assertRefused(post("/api/deployments", body), 400, "VALIDATION_FAILED");
        }
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void wrongTypesAreA400NamingTheField() {
        long events = eventRows();
        for (String value : List.of("123", "true", "[\"a\"]", "{\"a\":1}", "1e309")) {
            SecurityFixture.Answer answer = post("/api/deployments", "{\"project_name\":" + value + "}");
            assertRefused(answer, 400, "VALIDATION_FAILED");
            assertThat(answer.json().path("error").path("details").toString()).contains("project_name");
        }
        assertRefused(
                post("/api/workflows", "{\"name\":\"w\",\"config\":\"not an object\"}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/workflows", "{\"name\":\"w\",\"config\":[1,2]}"), 400, "VALIDATION_FAILED");
        assertRefused(
                system.call(
                        system.commandSide, "PATCH", "/api/deployments/" + UUID.randomUUID(), editor, "{\"status\":5}"),
                400,
                "VALIDATION_FAILED");
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void unknownFieldsAndDuplicateKeysAreRefused() {
        long events = eventRows();
        SecurityFixture.Answer unknown = post("/api/deployments", "{\"project_name\":\"shop\",\"colour\":\"red\"}");
        assertRefused(unknown, 400, "VALIDATION_FAILED");
        assertThat(unknown.json().path("error").path("details").toString()).contains("colour: unknown field");

        SecurityFixture.Answer duplicate = post("/api/deployments", "{\"project_name\":\"a\",\"project_name\":\"b\"}");
        assertRefused(duplicate, 400, "VALIDATION_FAILED");
        assertThat(duplicate.json().path("error").path("details").toString()).contains("project_name");
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void nulBytesInvalidUtf8AndControlCharactersNeverReachTheStore() {
        long events = eventRows();
        assertRefused(post("/api/deployments", "{\"project_name\":\"a\\u0000b\"}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/workflows", "{\"name\":\"a\\u0000b\",\"config\":{}}"), 400, "VALIDATION_FAILED");
        assertRefused(
                post("/api/workflows", "{\"name\":\"w\",\"config\":{\"k\":\"a\\u0000b\"}}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/workflows", "{\"name\":\"w\",\"config\":{\"a\\u0000\":1}}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/deployments", "{\"project_name\":\"a\\ud800b\"}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/deployments", "{\"project_name\":\"line\\nbreak\"}"), 400, "VALIDATION_FAILED");
        assertRefused(post("/api/workflows", "{\"name\":\"w\",\"config\":{\"n\":1e309}}"), 400, "VALIDATION_FAILED");
        assertRefused(
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/users",
                        admin,
                        "{\"email\":\"a\\u0000b@own.example\",\"role\":\"viewer\"}"),
                400,
                "VALIDATION_FAILED");
        byte[] invalidUtf8 = "{\"project_name\":\"__\"}".getBytes(StandardCharsets.US_ASCII);
        invalidUtf8[17] = (byte) 0xff;
        invalidUtf8[18] = (byte) 0xc3;
        assertRefused(raw("POST", "/api/deployments", invalidUtf8), 400, "VALIDATION_FAILED");
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void deepNestingOversizedBodiesAndOverlongStringsAreRefused() {
        long events = eventRows();
        String deep = "{\"name\":\"deep\",\"config\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        assertRefused(post("/api/workflows", deep), 400, "VALIDATION_FAILED");
        String deepArray = "{\"name\":\"deep\",\"config\":{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
        assertRefused(post("/api/workflows", deepArray), 400, "VALIDATION_FAILED");

        String oversized = "{\"project_name\":\"" + "x".repeat(300 * 1024) + "\"}";
        assertRefused(post("/api/deployments", oversized), 413, "PAYLOAD_TOO_LARGE");

        SecurityFixture.Answer overlong =
                post("/api/deployments", "{\"project_name\":\"" + "x".repeat(100_000) + "\"}");
        assertRefused(overlong, 400, "VALIDATION_FAILED");
        assertThat(overlong.json().path("error").path("details").toString()).contains("project_name");
        assertThat(overlong.body()).doesNotContain("x".repeat(300));
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void invalidIdsInPathsAreNotFoundAndWriteNothing() {
        long events = eventRows();
        for (String id :
                List.of("not-a-uuid", "%27%20OR%20%271%27%3D%271", "..%2F..%2Fapi%2Ftenants", "x".repeat(300))) {
            // An id the firewall refuses (encoded slashes, dots) is a 400 envelope; any other is simply not found.
            assertNotFoundOrInvalid(system.call(
                    system.commandSide, "PATCH", "/api/deployments/" + id, editor, "{\"status\":\"active\"}"));
            assertNotFoundOrInvalid(system.call(system.commandSide, "DELETE", "/api/workflows/" + id, editor, null));
            assertNotFoundOrInvalid(system.query("/api/deployments/" + id, viewer));
        }
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void editedAndTruncatedCursorsAreA400() {
        SecurityFixture.Answer first = system.query("/api/deployments?limit=1", viewer);
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        String cursor = first.json().path("pagination").path("cursor").asString();
        assertThat(cursor).isNotBlank();
        assertThat(system.query("/api/deployments?limit=1&cursor=" + cursor, viewer)
                        .status())
                .isEqualTo(200);

        char flipped = cursor.charAt(3) == 'A' ? 'B' : 'A';
        List<String> bad = List.of(
                cursor.substring(0, 3) + flipped + cursor.substring(4),
                cursor.substring(0, cursor.length() / 2),
                cursor.substring(0, cursor.indexOf('.')),
                cursor + "AAAA",
                cursor.replace('.', '-'),
                "not-a-cursor",
                "%00",
                "..");
        for (String edited : bad) {
            assertRefused(
                    system.query("/api/deployments?limit=1&cursor=" + encode(edited), viewer),
                    400,
                    "VALIDATION_FAILED");
        }
        // The same cursor for another listing (filter) or another resource.
        assertRefused(
                system.query("/api/deployments?limit=1&status=active&cursor=" + cursor, viewer),
                400,
                "VALIDATION_FAILED");
        assertRefused(system.query("/api/workflows?limit=1&cursor=" + cursor, viewer), 400, "VALIDATION_FAILED");
    }

    @Test
    void pageSizesOutOfRangeAreRefusedOrCapped() {
        for (String parameter : List.of(
                "limit=-1",
                "limit=0",
                "per_page=-1",
                "per_page=0",
                "per_page=abc",
                "per_page=1.5",
                "per_page=%20",
                "page=0",
                "page=-3",
                "page=x",
                "limit=1e3",
                "per_page=0x10")) {
            SecurityFixture.Answer answer = system.query("/api/deployments?" + parameter, viewer);
            if (parameter.equals("per_page=%20")) {
                assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
                continue;
            }
            assertRefused(answer, 400, "VALIDATION_FAILED");
        }
        for (String huge : List.of("999999999", "1000000000", "99999999999999999999")) {
            SecurityFixture.Answer perPage = system.query("/api/deployments?per_page=" + huge, viewer);
            assertThat(perPage.status()).as(perPage.describe()).isEqualTo(200);
            assertThat(perPage.json().path("pagination").path("per_page").asInt())
                    .isEqualTo(100);
            SecurityFixture.Answer limit = system.query("/api/deployments?limit=" + huge, viewer);
            assertThat(limit.status()).as(limit.describe()).isEqualTo(200);
            SecurityFixture.Answer page = system.query("/api/deployments?page=" + huge, viewer);
            assertThat(page.status()).as(page.describe()).isEqualTo(200);
            assertThat(page.data().isEmpty()).isTrue();
        }
        SecurityFixture.Answer events = system.query("/api/events?limit=1000000000", system.token(OWN, Role.AUDITOR));
        assertThat(events.status()).as(events.describe()).isEqualTo(200);
    }

    @Test
    void unknownSortFieldsAreA400() {
        for (String sort : List.of(
                "name",
                "project_name",
                "-id",
                "created_at;DROP TABLE deployments",
                "created_at,id",
                "CREATED_AT",
                "tenant_id")) {
            assertRefused(system.query("/api/deployments?sort=" + encode(sort), viewer), 400, "VALIDATION_FAILED");
            assertRefused(system.query("/api/workflows?sort=" + encode(sort), viewer), 400, "VALIDATION_FAILED");
        }
    }

    @Test
    void sqlInjectionInEveryFilterIsHarmless() {
        long events = eventRows();
        long foreignRows = queryRows("select count(*) from query_side.deployments where tenant_id = '" + FOREIGN + "'");
        List<String> payloads = List.of(
                "' OR '1'='1",
                "' OR 1=1--",
                "'; DROP TABLE query_side.deployments;--",
                "\" OR \"\"=\"",
                "%' UNION SELECT id, tenant_id, project_name FROM query_side.deployments--",
                "') OR tenant_id <> '",
                "\\'; SELECT pg_sleep(5);--");
        for (String injection : payloads) {
            String value = encode(injection);
            for (String listing : List.of("/api/deployments", "/api/workflows")) {
                SecurityFixture.Answer byName = system.query(listing + "?q=" + value, viewer);
                assertThat(byName.status()).as(byName.describe()).isEqualTo(200);
                assertThat(byName.data().isEmpty()).as(byName.describe()).isTrue();
                assertNoForeignMarker(byName);
                for (String parameter : List.of("status", "created_after", "created_before", "sort")) {
                    assertRefused(
                            system.query(listing + "?" + parameter + "=" + value, viewer), 400, "VALIDATION_FAILED");
                }
            }
            SecurityFixture.Answer audit = system.query("/api/audit?from=" + value, system.token(OWN, Role.AUDITOR));
            assertThat(audit.status()).as(audit.describe()).isBetween(400, 499);
            assertNoForeignMarker(audit);
            SecurityFixture.Answer log =
                    system.query("/api/events?after_position=" + value, system.token(OWN, Role.AUDITOR));
            assertThat(log.status()).as(log.describe()).isBetween(400, 499);
            assertNoForeignMarker(log);
            assertNotFoundOrInvalid(system.query("/api/deployments/" + value, viewer));
        }
        // Wildcards are text, not patterns that widen the search across tenants.
        for (String wildcard : List.of("%", "_", "%%", "\\")) {
            SecurityFixture.Answer answer = system.query("/api/deployments?q=" + encode(wildcard), viewer);
            assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
            assertThat(answer.data().isEmpty()).as(answer.describe()).isTrue();
        }
        assertThat(eventRows()).isEqualTo(events);
        assertThat(queryRows("select count(*) from query_side.deployments where tenant_id = '" + FOREIGN + "'"))
                .isEqualTo(foreignRows);
        assertThat(system.query("/api/deployments", viewer).data().size()).isEqualTo(3);
    }

    @Test
    void lookAlikeAndDuplicatedTenantHeadersNeverReachAnotherTenant() {
        List<String[]> headers = List.of(
                new String[] {"X-Tenant-ID", FOREIGN.toUpperCase()},
                new String[] {"X-Tenant-ID", FOREIGN + " "},
                new String[] {"X-Tenant-ID", " " + FOREIGN},
                new String[] {"X-Tenant-ID", FOREIGN.replace('a', '\u0430')},
                new String[] {"X-Tenant-ID", OWN.replace('o', '\u043e')},
                new String[] {"X-Tenant-ID", OWN + "\t"},
                new String[] {"X-Tenant-ID", OWN + "," + FOREIGN},
                new String[] {"X-Tenant-ID", "*"},
                new String[] {"x-tenant-id", FOREIGN},
                new String[] {"X-Tenant-ID", OWN, "X-Tenant-ID", FOREIGN},
                new String[] {"X-Tenant-ID", FOREIGN, "X-Tenant-ID", OWN});
        for (String[] pairs : headers) {
            SecurityFixture.Answer list = rawQuery("/api/deployments", pairs);
            assertNoForeignMarker(list);
            if (list.status() == 200) {
                assertThat(list.json().path("tenant_id").asString()).isEqualTo(OWN);
            } else {
                assertRefused(list, 403, "TENANT_FORBIDDEN");
            }
            SecurityFixture.Answer byId = rawQuery("/api/deployments/" + foreignDeployment, pairs);
            assertNoForeignMarker(byId);
            assertThat(byId.status()).as(byId.describe()).isIn(403, 404);
            SecurityFixture.Answer stats = rawQuery("/api/tenants/" + FOREIGN + "/stats", pairs);
            assertThat(stats.status()).as(stats.describe()).isIn(403, 404);
            assertThat(stats.body()).doesNotContain(FOREIGN_PROJECT);
        }
        SecurityFixture.Answer byParameter =
                system.query("/api/deployments?tenant_id=" + encode(FOREIGN.toUpperCase() + " "), viewer);
        assertRefused(byParameter, 403, "TENANT_FORBIDDEN");
        SecurityFixture.Answer twoParameters =
                system.query("/api/deployments?tenant_id=" + OWN + "&tenant_id=" + FOREIGN, viewer);
        assertNoForeignMarker(twoParameters);
        assertThat(twoParameters.status()).isIn(200, 403);
    }

    @Test
    void tenantIdOrRoleSmuggledIntoBodiesWritesNothingAnywhere() {
        long events = eventRows();
        long foreignRows = queryRows("select count(*) from query_side.deployments where tenant_id = '" + FOREIGN + "'");
        assertRefused(
                post("/api/deployments", "{\"project_name\":\"smuggled\",\"tenant_id\":\"" + FOREIGN + "\"}"),
                400,
                "VALIDATION_FAILED");
        assertRefused(
                post("/api/workflows", "{\"name\":\"smuggled\",\"config\":{},\"tenant_id\":\"" + FOREIGN + "\"}"),
                400,
                "VALIDATION_FAILED");
        assertRefused(
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/users",
                        admin,
                        "{\"email\":\"smuggled@own.example\",\"role\":\"viewer\",\"platform_admin\":true,\"tenant_id\":\""
                                + FOREIGN + "\"}"),
                400,
                "VALIDATION_FAILED");
        assertRefused(
                post("/api/deployments", "{\"project_name\":\"smuggled\",\"id\":\"" + foreignDeployment + "\"}"),
                400,
                "VALIDATION_FAILED");
        assertThat(eventRows()).isEqualTo(events);
        assertThat(queryRows("select count(*) from query_side.deployments where tenant_id = '" + FOREIGN + "'"))
                .isEqualTo(foreignRows);
    }

    @Test
    void tenantAdministrationIsForbiddenToATenantAdmin() {
        long events = eventRows();
        assertRefused(
                system.command("POST", "/api/tenants", admin, Map.of("id", "bad-new-" + RUN, "name", "n", "slug", "n")),
                403,
                "FORBIDDEN");
        for (String tenant : List.of(OWN, FOREIGN)) {
            assertRefused(
                    system.command(
                            "PUT",
                            "/api/tenants/" + tenant + "/quotas",
                            admin,
                            Map.of("deployments_per_hour", 1_000_000, "workflows_per_hour", 1_000_000)),
                    403,
                    "FORBIDDEN");
        }
        // A smuggled platform_admin is an unknown field: the body is refused before the role is looked at.
        assertRefused(
                system.call(
                        system.commandSide,
                        "POST",
                        "/api/tenants",
                        admin,
                        "{\"id\":\"bad-x-" + RUN + "\",\"name\":\"n\",\"slug\":\"n\",\"platform_admin\":true}"),
                400,
                "VALIDATION_FAILED");
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void commandsAgainstDeletedAggregatesAreNotFound() {
        String deployment = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", editor, Map.of("project_name", "to-delete")));
        assertThat(system.command("DELETE", "/api/deployments/" + deployment, editor, null)
                        .status())
                .isEqualTo(202);
        String workflow = SecurityFixture.acceptedId(
                system.command("POST", "/api/workflows", editor, Map.of("name", "to-delete", "config", Map.of())));
        assertThat(system.command("DELETE", "/api/workflows/" + workflow, editor, null)
                        .status())
                .isEqualTo(202);
        long events = eventRows();

        assertRefused(
                system.command("PATCH", "/api/deployments/" + deployment, editor, Map.of("status", "active")),
                404,
                "NOT_FOUND");
        assertRefused(system.command("DELETE", "/api/deployments/" + deployment, editor, null), 404, "NOT_FOUND");
        assertRefused(
                system.command("PATCH", "/api/workflows/" + workflow, editor, Map.of("name", "back")),
                404,
                "NOT_FOUND");
        assertRefused(system.command("DELETE", "/api/workflows/" + workflow, editor, null), 404, "NOT_FOUND");
        assertThat(eventRows()).isEqualTo(events);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertRefused(system.query("/api/deployments/" + deployment, viewer), 404, "NOT_FOUND"));
    }

    // -- helpers

    private static SecurityFixture.Answer post(String path, String body) {
        return system.call(system.commandSide, "POST", path, editor, body);
    }

    private static void assertNotFoundOrInvalid(SecurityFixture.Answer answer) {
        if (answer.status() == 400) {
            assertRefused(answer, 400, "VALIDATION_FAILED");
        } else {
            assertRefused(answer, 404, "NOT_FOUND");
        }
    }

    private static void assertRefused(SecurityFixture.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.describe()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.path("success").isBoolean()).as(answer.describe()).isTrue();
        assertThat(json.path("success").asBoolean()).as(answer.describe()).isFalse();
        assertThat(json.path("error").path("code").asString())
                .as(answer.describe())
                .isEqualTo(code);
        assertNoForeignMarker(answer);
    }

    private static void assertNoForeignMarker(SecurityFixture.Answer answer) {
        String everything = answer.everything();
        for (String marker : foreignMarkers) {
            assertThat(everything).as(answer.describe()).doesNotContainIgnoringCase(marker);
        }
        assertThat(everything).doesNotContain("at io.tessera").doesNotContainIgnoringCase("sqlstate");
    }

    private static SecurityFixture.Answer raw(String method, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.commandSide + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + editor)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new SecurityFixture.Answer(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A GET to the query side over a plain socket (HTTP/1.0, so the answer is not chunked), headers written as
     * UTF-8 bytes: java.net.http refuses non-ASCII header values, a hostile client does not.
     */
    private static SecurityFixture.Answer rawQuery(String path, String... headerPairs) {
        URI base = URI.create(system.querySide);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.0\r\n")
                .append("Host: localhost\r\n")
                .append("Accept: application/json\r\n")
                .append("Authorization: Bearer ")
                .append(viewer)
                .append("\r\n");
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.append(headerPairs[i])
                    .append(": ")
                    .append(headerPairs[i + 1])
                    .append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            String head = headerEnd < 0 ? response : response.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : response.substring(headerEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
            return new SecurityFixture.Answer(status, body, HttpHeaders.of(headers, (name, value) -> true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long eventRows() {
        // A refused command is audited as a CommandRejected event of its own; nothing else may be stored.
        return queryRows("select count(*) from command_side.domain_event_entry"
                + " where payload_type <> 'io.tessera.events.audit.CommandRejected'");
    }

    private static long queryRows(String sql) {
        LocalInfrastructure db = LocalInfrastructure.shared();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.dbUser(), db.dbPassword());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
