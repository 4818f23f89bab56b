package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.signing.EventSigner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A generated authorization matrix over the whole system: every {@code /api} endpoint of both sides × every
 * kind of caller × the tenant the request targets, each cell's expected answer derived from the contract's
 * role table and tenancy rules (CONTRACT.md, "Identity and tenancy"). Every answer is also searched for the
 * foreign tenant's marker strings: none may appear in any body or header. The matrix is printed to stdout.
 *
 * <p>Where the contract is ambiguous the stricter reading is taken, named in {@link #expected}.
 */
class RbacMatrixIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String OWN = "rbac-own-" + RUN;
    private static final String FOREIGN = "rbac-fgnmark-" + RUN;
    private static final String UNKNOWN = "rbac-nobody-" + RUN;
    private static final String FOREIGN_PROJECT = "FGNMARK-project-" + RUN;
    private static final String FOREIGN_WORKFLOW = "FGNMARK-workflow-" + RUN;
    private static final String FOREIGN_EMAIL = "fgnmark-" + RUN + "@fgnmark-" + RUN + ".example";

    private static SecurityFixture system;
    private static final Map<String, String> foreignMarkers = new LinkedHashMap<>();
    private static String ownDeployment;
    private static String ownWorkflow;
    private static String foreignDeployment;
    private static String foreignWorkflow;
    private static String foreignUser;
    private static String ownDeadLetter;
    private static String foreignDeadLetter;
    private static final AtomicInteger serial = new AtomicInteger();

    /** Who calls. */
    enum Caller {
        VIEWER("viewer"),
        EDITOR("editor"),
        ADMIN("admin"),
        AUDITOR("auditor"),
        PLATFORM("platform-admin"),
        NO_ROLES("no-roles"),
        NO_TOKEN("no-token"),
        GARBAGE("garbage-token"),
        FORGED("forged-token");

        final String label;

        Caller(String label) {
            this.label = label;
        }

        boolean authenticated() {
            return this != NO_TOKEN && this != GARBAGE && this != FORGED;
        }

        Set<Access> grants() {
            return switch (this) {
                case VIEWER -> EnumSet.of(Access.READ, Access.LIST_TENANTS);
                case EDITOR -> EnumSet.of(Access.READ, Access.LIST_TENANTS, Access.WRITE);
                case ADMIN ->
                    EnumSet.of(
                            Access.READ, Access.LIST_TENANTS, Access.WRITE, Access.MANAGE_USERS, Access.DEAD_LETTERS);
                case AUDITOR -> EnumSet.of(Access.AUDIT);
                case PLATFORM -> EnumSet.of(Access.PLATFORM, Access.LIST_TENANTS, Access.DEAD_LETTERS);
                default -> EnumSet.noneOf(Access.class);
            };
        }
    }

    /** What an endpoint needs, per the contract's role table. */
    enum Access {
        READ,
        WRITE,
        MANAGE_USERS,
        AUDIT,
        PLATFORM,
        /** GET /api/tenants: readers see the tenants they may act for; a platform admin, who administers
         * every tenant, sees them all (docs/adr/0015-tenants-provisioned-on-first-use.md). */
        LIST_TENANTS,
        /** The projections' dead letters: a tenant's admin for that tenant, a platform admin for every tenant
         * (docs/adr/0024-sequenced-dead-letters.md). */
        DEAD_LETTERS,
        /** The import endpoints: only a token with the importer claim (./tessera import), which none of the
         * matrix's callers has; ImportIT covers the importer. */
        IMPORT
    }

    /** The tenant (and resource) a request targets. */
    enum Target {
        OWN("own"),
        FOREIGN_HEADER("foreign hdr"),
        UNKNOWN_HEADER("unknown hdr"),
        FOREIGN_ID("foreign id"),
        UNKNOWN_ID("unknown id");

        final String label;

        Target(String label) {
            this.label = label;
        }
    }

    enum Path2 {
        NONE,
        DEPLOYMENT,
        WORKFLOW,
        USER,
        TENANT,
        DEAD_LETTER
    }

    record Endpoint(boolean commandSide, String method, String template, Path2 id, Access access) {

        String name() {
            return (commandSide ? "C " : "Q ") + method + " " + template;
        }

        int successStatus() {
            return commandSide || template.endsWith("/rebuild") ? 202 : 200;
        }

        List<Target> targets() {
            return id == Path2.NONE
                    ? List.of(Target.OWN, Target.FOREIGN_HEADER, Target.UNKNOWN_HEADER)
                    : List.of(Target.values());
        }
    }

    /** Server-sent events: a success is an open stream whose first event names the tenant. */
    static final String STREAM = "/api/stream";

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(true, "POST", "/api/tenants", Path2.NONE, Access.PLATFORM),
            new Endpoint(true, "PUT", "/api/tenants/{id}/quotas", Path2.TENANT, Access.PLATFORM),
            new Endpoint(true, "POST", "/api/tenants/{id}/suspend", Path2.TENANT, Access.PLATFORM),
            new Endpoint(true, "POST", "/api/tenants/{id}/reactivate", Path2.TENANT, Access.PLATFORM),
            new Endpoint(true, "DELETE", "/api/tenants/{id}/data-keys", Path2.TENANT, Access.PLATFORM),
            new Endpoint(true, "DELETE", "/api/tenants/{id}", Path2.TENANT, Access.PLATFORM),
            new Endpoint(true, "POST", "/api/deployments", Path2.NONE, Access.WRITE),
            new Endpoint(true, "PATCH", "/api/deployments/{id}", Path2.DEPLOYMENT, Access.WRITE),
            new Endpoint(true, "DELETE", "/api/deployments/{id}", Path2.DEPLOYMENT, Access.WRITE),
            new Endpoint(true, "POST", "/api/workflows", Path2.NONE, Access.WRITE),
            new Endpoint(true, "PATCH", "/api/workflows/{id}", Path2.WORKFLOW, Access.WRITE),
            new Endpoint(true, "DELETE", "/api/workflows/{id}", Path2.WORKFLOW, Access.WRITE),
            new Endpoint(true, "POST", "/api/users", Path2.NONE, Access.MANAGE_USERS),
            new Endpoint(true, "DELETE", "/api/users/{id}", Path2.USER, Access.MANAGE_USERS),
            new Endpoint(true, "POST", "/api/imports/deployments", Path2.NONE, Access.IMPORT),
            new Endpoint(true, "POST", "/api/imports/workflows", Path2.NONE, Access.IMPORT),
            new Endpoint(true, "POST", "/api/imports/users", Path2.NONE, Access.IMPORT),
            new Endpoint(false, "GET", "/api/deployments", Path2.NONE, Access.READ),
            new Endpoint(false, "GET", "/api/deployments/{id}", Path2.DEPLOYMENT, Access.READ),
            new Endpoint(false, "GET", "/api/deployments/{id}/history", Path2.DEPLOYMENT, Access.READ),
            new Endpoint(false, "GET", "/api/workflows", Path2.NONE, Access.READ),
            new Endpoint(false, "GET", "/api/workflows/{id}", Path2.WORKFLOW, Access.READ),
            new Endpoint(false, "GET", "/api/workflows/{id}/history", Path2.WORKFLOW, Access.READ),
            new Endpoint(false, "GET", "/api/users", Path2.NONE, Access.READ),
            new Endpoint(false, "GET", "/api/tenants", Path2.NONE, Access.LIST_TENANTS),
            new Endpoint(false, "GET", "/api/tenants/{id}/stats", Path2.TENANT, Access.READ),
            new Endpoint(false, "GET", "/api/audit", Path2.NONE, Access.AUDIT),
            new Endpoint(false, "GET", "/api/events", Path2.NONE, Access.AUDIT),
            new Endpoint(false, "GET", "/api/audit/verify", Path2.NONE, Access.AUDIT),
            new Endpoint(false, "GET", "/api/admin/projections", Path2.NONE, Access.PLATFORM),
            new Endpoint(false, "GET", "/api/admin/projections/deployments", Path2.NONE, Access.PLATFORM),
            new Endpoint(false, "POST", "/api/admin/projections/users/rebuild", Path2.NONE, Access.PLATFORM),
            new Endpoint(false, "GET", "/api/admin/dead-letters", Path2.NONE, Access.DEAD_LETTERS),
            new Endpoint(false, "GET", "/api/admin/dead-letters/{id}", Path2.DEAD_LETTER, Access.DEAD_LETTERS),
            new Endpoint(false, "POST", "/api/admin/dead-letters/{id}/retry", Path2.DEAD_LETTER, Access.DEAD_LETTERS),
            new Endpoint(false, "GET", STREAM, Path2.NONE, Access.READ));

    /** The contract's answer for one cell: status and, for failures, the error code. */
    record Expectation(int status, String code) {

        @Override
        public String toString() {
            return code == null ? Integer.toString(status) : status + " " + code;
        }
    }

    record Cell(Endpoint endpoint, Caller caller, Target target, Expectation expected, SecurityFixture.Answer actual) {

        boolean asExpected() {
            return actual.status() == expected.status()
                    && (expected.code() == null || expected.code().equals(actual.errorCode()));
        }
    }

    static Expectation expected(Endpoint endpoint, Caller caller, Target target) {
        if (!caller.authenticated()) {
            return new Expectation(401, "UNAUTHENTICATED");
        }
        // A tenant named by header that the token may not act for: 403 TENANT_FORBIDDEN, whether it exists or
        // not, before anything else -- also for tenant administration (stricter reading: the contract says
        // tenant administration ignores the token's tenant_id, not that it ignores a header naming a tenant).
        if (target == Target.FOREIGN_HEADER || target == Target.UNKNOWN_HEADER) {
            return new Expectation(403, "TENANT_FORBIDDEN");
        }
        // Roles: viewer reads; editor also writes deployments/workflows; admin also manages users; auditor reads
        // audit and event log; platform admin does tenant administration, which includes listing every tenant.
        if (!caller.grants().contains(endpoint.access())) {
            return new Expectation(403, "FORBIDDEN");
        }
        if (target == Target.OWN) {
            return new Expectation(endpoint.successStatus(), null);
        }
        if (endpoint.id() == Path2.TENANT) {
            if (endpoint.access() == Access.PLATFORM) {
                // Tenant administration is not tenant-scoped: any existing tenant, and an unknown one is not found.
                return target == Target.FOREIGN_ID ? new Expectation(202, null) : new Expectation(404, "NOT_FOUND");
            }
            // Stats name a tenant in the path; stricter reading: a tenant one may not act for is refused exactly
            // as when named by header -- 403 TENANT_FORBIDDEN, identical for an existing and an unknown tenant.
            return new Expectation(403, "TENANT_FORBIDDEN");
        }
        // A platform admin sees every tenant's dead letters; anyone else's foreign id is not found.
        if (endpoint.id() == Path2.DEAD_LETTER && caller == Caller.PLATFORM && target == Target.FOREIGN_ID) {
            return new Expectation(endpoint.successStatus(), null);
        }
        // A resource id of another tenant answers exactly like an id that does not exist.
        return new Expectation(404, "NOT_FOUND");
    }

    @BeforeAll
    static void startAndSeed(@TempDir Path home) {
        system = SecurityFixture.start(home);
        String platform = system.token("rbac-setup", "rbac-setup", List.of(), true);
        for (String tenant : List.of(OWN, FOREIGN)) {
            SecurityFixture.Answer created = system.command(
                    "POST", "/api/tenants", platform, Map.of("id", tenant, "name", tenant, "slug", tenant));
            assertThat(created.status()).as(created.describe()).isEqualTo(202);
        }
        String foreignEditor = system.token(FOREIGN, Role.EDITOR);
        String foreignAdmin = system.token(FOREIGN, Role.ADMIN);
        foreignDeployment = SecurityFixture.acceptedId(system.command(
                "POST",
                "/api/deployments",
                foreignEditor,
                Map.of("project_name", FOREIGN_PROJECT, "url", "https://" + FOREIGN_PROJECT + ".example")));
        foreignWorkflow = SecurityFixture.acceptedId(system.command(
                "POST",
                "/api/workflows",
                foreignEditor,
                Map.of("name", FOREIGN_WORKFLOW, "config", Map.of("marker", FOREIGN_WORKFLOW))));
        foreignUser = SecurityFixture.acceptedId(
                system.command("POST", "/api/users", foreignAdmin, Map.of("email", FOREIGN_EMAIL, "role", "viewer")));
        foreignMarkers.put("foreign tenant id", FOREIGN);
        foreignMarkers.put("foreign deployment id", foreignDeployment);
        foreignMarkers.put("foreign workflow id", foreignWorkflow);
        foreignMarkers.put("foreign user id", foreignUser);
        foreignMarkers.put("foreign project name", FOREIGN_PROJECT);
        foreignMarkers.put("foreign workflow name", FOREIGN_WORKFLOW);
        foreignMarkers.put("foreign e-mail", FOREIGN_EMAIL);
        foreignMarkers.put("foreign marker", "fgnmark");

        // A record the projections refuse, per tenant: its dead letter is what the dead-letter endpoints show.
        try (var producer = system.producer()) {
            for (String tenant : List.of(OWN, FOREIGN)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        io.tessera.events.Topics.EVENTS, tenant, refusedEvent(tenant)));
            }
        }
        String platformAdmin = system.token("rbac-platform", OWN, List.of(), true);
        ownDeadLetter = await().atMost(Duration.ofSeconds(60))
                .until(() -> firstDeadLetter(platformAdmin, OWN), id -> id != null);
        foreignDeadLetter = await().atMost(Duration.ofSeconds(60))
                .until(() -> firstDeadLetter(platformAdmin, FOREIGN), id -> id != null);
        foreignMarkers.put("foreign dead letter id", foreignDeadLetter);

        String ownEditor = system.token(OWN, Role.EDITOR);
        ownDeployment = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", ownEditor, Map.of("project_name", "own-project")));
        ownWorkflow = SecurityFixture.acceptedId(system.command(
                "POST", "/api/workflows", ownEditor, Map.of("name", "own-workflow", "config", Map.of())));
        SecurityFixture.acceptedId(system.command(
                "POST",
                "/api/users",
                system.token(OWN, Role.ADMIN),
                Map.of("email", "own-user-" + RUN + "@own.example", "role", "viewer")));

        // Both tenants' data must be on the query side, else "not found" would prove nothing.
        String foreignReader = system.token(FOREIGN, Role.VIEWER, Role.AUDITOR);
        String ownReader = system.token(OWN, Role.VIEWER, Role.AUDITOR);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (String path : List.of(
                            "/api/deployments/" + foreignDeployment,
                            "/api/workflows/" + foreignWorkflow,
                            "/api/deployments/" + foreignDeployment + "/history",
                            "/api/workflows/" + foreignWorkflow + "/history",
                            "/api/tenants/" + FOREIGN + "/stats")) {
                        assertThat(system.query(path, foreignReader).status())
                                .as(path)
                                .isEqualTo(200);
                    }
                    assertThat(system.query("/api/users", foreignReader).body()).contains(FOREIGN_EMAIL);
                    assertThat(system.query("/api/events?after_position=0", foreignReader)
                                    .body())
                            .contains(FOREIGN_PROJECT);
                    for (String path : List.of(
                            "/api/deployments/" + ownDeployment,
                            "/api/workflows/" + ownWorkflow,
                            "/api/tenants/" + OWN + "/stats")) {
                        assertThat(system.query(path, ownReader).status())
                                .as(path)
                                .isEqualTo(200);
                    }
                    assertThat(system.query("/api/users", ownReader).body()).contains("own-user-" + RUN);
                });
    }

    /** A well-formed CloudEvent whose data lacks what its type needs: the projection refuses it. */
    private static String refusedEvent(String tenant) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", SecurityFixture.newId());
        event.put("source", "/tessera/command-side");
        event.put("type", "tessera.deployment.created.v1");
        event.put("time", "2026-01-01T00:00:00Z");
        event.put("subject", "refused-" + RUN);
        event.put("data", Map.of("tenant_id", tenant, "deployment_id", "refused-" + RUN));
        event.put("tenantid", tenant);
        event.put("sequence", "0000000000000000000");
        event.put("position", "1");
        String unsigned = SecurityFixture.JSON.writeValueAsString(event);
        EventSigner signer = LocalInfrastructure.shared().eventSigner();
        event.put("keyid", signer.keyId());
        event.put("signature", signer.sign(unsigned));
        return SecurityFixture.JSON.writeValueAsString(event);
    }

    private static String firstDeadLetter(String platformAdmin, String tenant) {
        JsonNode letters = system.call(
                        system.querySide,
                        "GET",
                        "/api/admin/dead-letters?tenant=" + tenant,
                        platformAdmin,
                        null,
                        "X-Tenant-ID",
                        OWN)
                .data();
        return letters.isArray() && !letters.isEmpty()
                ? letters.get(0).path("id").asString()
                : null;
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheContractSaysAndLeaksNothingOfAnotherTenant() {
        List<Cell> cells = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Target target : endpoint.targets()) {
                for (Caller caller : Caller.values()) {
                    SecurityFixture.Answer answer = call(endpoint, caller, target);
                    cells.add(new Cell(endpoint, caller, target, expected(endpoint, caller, target), answer));
                }
            }
        }
        print(cells);

        List<String> problems = new ArrayList<>();
        for (Cell cell : cells) {
            String where = cell.endpoint().name() + " [" + cell.target().label + "] as " + cell.caller().label;
            if (!cell.asExpected()) {
                problems.add(where + ": expected " + cell.expected() + ", got "
                        + cell.actual().describe());
            }
            problems.addAll(envelopeProblems(where, cell));
            if (!legitimatelyNamesForeignTenant(cell)) {
                String everything =
                        withoutOwnAttempts(cell, cell.actual().everything().toLowerCase(Locale.ROOT));
                foreignMarkers.forEach((what, marker) -> {
                    if (everything.contains(marker.toLowerCase(Locale.ROOT))) {
                        problems.add(where + ": the answer contains the " + what + " (" + marker + "): "
                                + cell.actual().describe());
                    }
                });
            }
        }
        problems.addAll(indistinguishable(cells, Target.FOREIGN_HEADER, Target.UNKNOWN_HEADER));
        problems.addAll(indistinguishable(cells, Target.FOREIGN_ID, Target.UNKNOWN_ID));

        System.out.println("RBAC matrix: " + cells.size() + " cells, " + problems.size() + " problem(s)");
        problems.forEach(p -> System.out.println("  FINDING " + p));
        assertThat(problems).as("cells differing from the contract").isEmpty();
    }

    @Test
    void kafkaCommandsAreCheckedLikeHttp() {
        String ownEditor = system.token(OWN, Role.EDITOR);
        String forged = new io.tessera.infra.security.TokenIssuer("x".repeat(48), null)
                .issue("forger", OWN, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));
        record Case(String name, Map<String, Object> command, String status, String code) {}
        Map<String, Object> create = Map.of("project_name", "kafka-matrix");
        List<Case> cases = List.of(
                new Case(
                        "editor, own tenant (control)",
                        cmd("CreateDeployment", OWN, ownEditor, create),
                        "accepted",
                        null),
                new Case(
                        "viewer token",
                        cmd("CreateDeployment", OWN, system.token(OWN, Role.VIEWER), create),
                        "rejected",
                        "FORBIDDEN"),
                new Case(
                        "auditor token",
                        cmd("CreateDeployment", OWN, system.token(OWN, Role.AUDITOR), create),
                        "rejected",
                        "FORBIDDEN"),
                new Case(
                        "platform admin, no roles",
                        cmd("CreateDeployment", OWN, system.token("p", OWN, List.of(), true), create),
                        "rejected",
                        "FORBIDDEN"),
                new Case(
                        "token for A, record for foreign B",
                        cmd("CreateDeployment", FOREIGN, ownEditor, create),
                        "rejected",
                        "TENANT_FORBIDDEN"),
                new Case(
                        "token for A, record for unknown tenant",
                        cmd("CreateDeployment", UNKNOWN, ownEditor, create),
                        "rejected",
                        "TENANT_FORBIDDEN"),
                new Case(
                        "garbage token",
                        cmd("CreateDeployment", OWN, "garbage.token.value", create),
                        "rejected",
                        "UNAUTHENTICATED"),
                new Case("no token", cmd("CreateDeployment", OWN, null, create), "rejected", "UNAUTHENTICATED"),
                new Case(
                        "forged token (wrong key)",
                        cmd("CreateDeployment", OWN, forged, create),
                        "rejected",
                        "UNAUTHENTICATED"),
                new Case(
                        "editor, update of a foreign deployment id",
                        cmd(
                                "UpdateDeployment",
                                OWN,
                                ownEditor,
                                Map.of("id", foreignDeployment, "url", "https://x.example")),
                        "rejected",
                        "NOT_FOUND"),
                new Case(
                        "editor, update of an unknown deployment id",
                        cmd(
                                "UpdateDeployment",
                                OWN,
                                ownEditor,
                                Map.of("id", SecurityFixture.newId(), "url", "https://x.example")),
                        "rejected",
                        "NOT_FOUND"),
                new Case(
                        "editor, delete of a foreign workflow id",
                        cmd("DeleteWorkflow", OWN, ownEditor, Map.of("id", foreignWorkflow)),
                        "rejected",
                        "NOT_FOUND"));
        Map<String, String> results =
                system.sendCommands(cases.stream().map(Case::command).toList(), Duration.ofSeconds(60));

        List<String> problems = new ArrayList<>();
        System.out.println();
        System.out.println("Kafka tessera.commands matrix");
        System.out.printf("  %-45s %-30s %s%n", "case", "expected", "actual");
        Map<String, JsonNode> notFoundErrors = new LinkedHashMap<>();
        for (Case c : cases) {
            String raw = results.get((String) c.command().get("command_id"));
            JsonNode result = raw == null ? null : SecurityFixture.JSON.readTree(raw);
            String actual = result == null
                    ? "no result"
                    : result.path("status").asString("") + " "
                            + result.path("error").path("code").asString("");
            String expected = c.status() + " " + (c.code() == null ? "" : c.code());
            System.out.printf("  %-45s %-30s %s%n", c.name(), expected.trim(), actual.trim());
            if (!expected.trim().equals(actual.trim())) {
                problems.add("Kafka " + c.name() + ": expected " + expected.trim() + ", got " + raw);
            }
            if (raw != null) {
                // The result names the tenant the record named (the caller's own input); nothing else of B.
                foreignMarkers.forEach((what, marker) -> {
                    if (!what.equals("foreign tenant id")
                            && !what.equals("foreign marker")
                            && raw.toLowerCase(Locale.ROOT).contains(marker.toLowerCase(Locale.ROOT))) {
                        problems.add("Kafka " + c.name() + ": the result contains the " + what + ": " + raw);
                    }
                });
                if ("NOT_FOUND".equals(c.code())) {
                    notFoundErrors.put(c.name(), result.path("error"));
                }
            }
        }
        JsonNode foreignId = notFoundErrors.get(cases.get(9).name());
        JsonNode unknownId = notFoundErrors.get(cases.get(10).name());
        if (foreignId != null && unknownId != null && !foreignId.equals(unknownId)) {
            problems.add("Kafka: a foreign id is rejected differently from an unknown one: " + foreignId + " vs "
                    + unknownId);
        }
        String foreignVsUnknownTenant =
                results.get((String) cases.get(4).command().get("command_id"));
        String unknownTenant = results.get((String) cases.get(5).command().get("command_id"));
        if (foreignVsUnknownTenant != null && unknownTenant != null) {
            JsonNode a = SecurityFixture.JSON.readTree(foreignVsUnknownTenant).path("error");
            JsonNode b = SecurityFixture.JSON.readTree(unknownTenant).path("error");
            if (!a.equals(b)) {
                problems.add("Kafka: a foreign tenant is refused differently from an unknown one: " + a + " vs " + b);
            }
        }
        problems.forEach(p -> System.out.println("  FINDING " + p));
        assertThat(problems).isEmpty();
    }

    private static Map<String, Object> cmd(String type, String tenant, String token, Map<String, Object> payload) {
        return SecurityFixture.kafkaCommand(SecurityFixture.newId(), type, tenant, token, payload);
    }

    /** Platform administration may name any tenant; those answers may carry the tenant id the admin named. */
    private static boolean legitimatelyNamesForeignTenant(Cell cell) {
        boolean administers = cell.endpoint().access() == Access.PLATFORM && cell.target() == Target.FOREIGN_ID;
        boolean listsEveryTenant = cell.endpoint().access() == Access.LIST_TENANTS && cell.target() == Target.OWN;
        boolean everyTenantsDeadLetters = cell.endpoint().access() == Access.DEAD_LETTERS
                && (cell.target() == Target.OWN || cell.target() == Target.FOREIGN_ID);
        return cell.caller() == Caller.PLATFORM && (administers || listsEveryTenant || everyTenantsDeadLetters);
    }

    private static List<String> envelopeProblems(String where, Cell cell) {
        List<String> problems = new ArrayList<>();
        SecurityFixture.Answer answer = cell.actual();
        if (cell.endpoint().template().equals(STREAM) && answer.status() == 200) {
            String contentType = answer.headers().firstValue("Content-Type").orElse("");
            if (!contentType.startsWith("text/event-stream")
                    || !answer.body().contains("event:ready")
                    || !answer.body().contains("\"tenant_id\":\"" + OWN + "\"")) {
                problems.add(where + ": not a stream opened for the own tenant: " + contentType + " " + answer.body());
            }
            return problems;
        }
        JsonNode body = answer.json();
        String contentType = answer.headers().firstValue("Content-Type").orElse("");
        if (!contentType.startsWith("application/json")) {
            problems.add(where + ": Content-Type " + contentType);
        }
        if (!body.isObject()) {
            problems.add(where + ": the body is not a JSON object: " + answer.body());
            return problems;
        }
        boolean failed = answer.status() >= 400;
        if (body.path("success").asBoolean(failed) == failed
                || !body.path("success").isBoolean()) {
            problems.add(where + ": success is not " + !failed + ": " + answer.body());
        }
        if (failed) {
            JsonNode error = body.path("error");
            if (error.path("code").asString("").isEmpty()
                    || !error.path("message").isString()) {
                problems.add(where + ": no error.code / error.message: " + answer.body());
            }
            if (body.has("data")) {
                problems.add(where + ": a failure carries data: " + answer.body());
            }
        } else if (!body.has("data")) {
            problems.add(where + ": a success without data: " + answer.body());
        } else if (cell.caller() != Caller.PLATFORM
                && !OWN.equals(body.path("tenant_id").asString(""))) {
            problems.add(where + ": tenant_id is not the own tenant: " + answer.body());
        }
        return problems;
    }

    /** Two targets that must not be told apart: same status, same body, same header names. */
    private static List<String> indistinguishable(List<Cell> cells, Target one, Target other) {
        List<String> problems = new ArrayList<>();
        for (Cell a : cells) {
            if (a.target() != one) {
                continue;
            }
            for (Cell b : cells) {
                if (b.target() == other && b.endpoint() == a.endpoint() && b.caller() == a.caller()) {
                    if (a.expected().equals(b.expected())
                            && (a.actual().status() != b.actual().status()
                                    || !a.actual().json().equals(b.actual().json())
                                    || !headerNames(a).equals(headerNames(b)))) {
                        problems.add(a.endpoint().name() + " as " + a.caller().label + ": " + one.label + " and "
                                + other.label + " can be told apart: "
                                + a.actual().describe() + " "
                                + headerNames(a) + " vs " + b.actual().describe() + " " + headerNames(b));
                    }
                }
            }
        }
        return problems;
    }

    private static Set<String> headerNames(Cell cell) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(cell.actual().headers().map().keySet());
        // Per-message and hop-by-hop headers vary with the connection, not with the tenant.
        names.removeAll(Set.of("date", "content-length", "connection", "keep-alive", "transfer-encoding"));
        return names;
    }

    /**
     * The own tenant's audit and event log record the commands it sent that were refused, with the resource id
     * each named: a foreign id that this test itself sent as the own tenant (404 cells, Kafka cases) comes back
     * there as {@code resource_id} of a rejection. That is the tenant's own words, not the foreign tenant's
     * data; anywhere else in the answer the id still counts as a leak.
     */
    private static String withoutOwnAttempts(Cell cell, String everything) {
        String template = cell.endpoint().template();
        if (!template.equals("/api/audit") && !template.equals("/api/events")) {
            return everything;
        }
        String cleaned = everything;
        for (String id : List.of(foreignDeployment, foreignWorkflow, foreignUser)) {
            cleaned = cleaned.replaceAll(
                    "\"resource_id\":\\s*\"" + Pattern.quote(id.toLowerCase(Locale.ROOT)) + "\"",
                    "\"resource_id\":\"(sent by the tenant itself)\"");
        }
        return cleaned;
    }

    private static SecurityFixture.Answer call(Endpoint endpoint, Caller caller, Target target) {
        String id = idFor(endpoint, caller, target);
        String path = endpoint.template().replace("{id}", id);
        String tenantHeader = switch (target) {
            case OWN -> OWN;
            case FOREIGN_HEADER -> FOREIGN;
            case UNKNOWN_HEADER -> UNKNOWN;
            default -> null;
        };
        String[] headers = tenantHeader == null ? new String[0] : new String[] {"X-Tenant-ID", tenantHeader};
        String token = tokenOf(caller);
        if (endpoint.template().equals(STREAM)) {
            return system.stream(system.querySide, path, token, headers);
        }
        if (!endpoint.commandSide()) {
            String query = endpoint.template().equals("/api/events") ? "?after_position=0" : "";
            return system.call(system.querySide, endpoint.method(), path + query, token, null, headers);
        }
        Object body = bodyFor(endpoint);
        return system.call(
                system.commandSide,
                endpoint.method(),
                path,
                token,
                body == null ? null : SecurityFixture.JSON.writeValueAsString(body),
                headers);
    }

    private static String tokenOf(Caller caller) {
        return switch (caller) {
            case VIEWER -> system.token(OWN, Role.VIEWER);
            case EDITOR -> system.token(OWN, Role.EDITOR);
            case ADMIN -> system.token(OWN, Role.ADMIN);
            case AUDITOR -> system.token(OWN, Role.AUDITOR);
            case PLATFORM -> system.token("rbac-platform", OWN, List.of(), true);
            case NO_ROLES -> system.token(OWN);
            case NO_TOKEN -> null;
            case GARBAGE -> "garbage-" + RUN;
            case FORGED ->
                new io.tessera.infra.security.TokenIssuer("y".repeat(48), null)
                        .issue("forger", OWN, List.of(Role.values()), List.of(), true, Duration.ofHours(1));
        };
    }

    private static String idFor(Endpoint endpoint, Caller caller, Target target) {
        Path2 kind = endpoint.id();
        if (kind == Path2.NONE) {
            return "";
        }
        return switch (target) {
            case OWN, UNKNOWN_HEADER -> ownIdFor(endpoint, kind, caller);
            case FOREIGN_HEADER, FOREIGN_ID ->
                lifecycle(endpoint) && caller == Caller.PLATFORM
                        ? freshTenant()
                        : switch (kind) {
                            case DEPLOYMENT -> foreignDeployment;
                            case WORKFLOW -> foreignWorkflow;
                            case USER -> foreignUser;
                            case TENANT -> FOREIGN;
                            case DEAD_LETTER -> foreignDeadLetter;
                            case NONE -> "";
                        };
            case UNKNOWN_ID -> kind == Path2.TENANT ? UNKNOWN : SecurityFixture.newId();
        };
    }

    /** A delete gets a fresh resource of its own, so that one cell cannot change what another sees. */
    private static String ownIdFor(Endpoint endpoint, Path2 kind, Caller caller) {
        boolean delete = endpoint.method().equals("DELETE");
        return switch (kind) {
            case TENANT -> lifecycle(endpoint) && caller == Caller.PLATFORM ? freshTenant() : OWN;
            case DEAD_LETTER -> ownDeadLetter;
            case DEPLOYMENT ->
                delete
                        ? fresh(() -> system.command(
                                "POST",
                                "/api/deployments",
                                system.token(OWN, Role.EDITOR),
                                Map.of("project_name", "doomed")))
                        : ownDeployment;
            case WORKFLOW ->
                delete
                        ? fresh(() -> system.command(
                                "POST",
                                "/api/workflows",
                                system.token(OWN, Role.EDITOR),
                                Map.of("name", "doomed", "config", Map.of())))
                        : ownWorkflow;
            case USER ->
                fresh(() -> system.command(
                        "POST",
                        "/api/users",
                        system.token(OWN, Role.ADMIN),
                        Map.of(
                                "email",
                                "doomed-" + serial.incrementAndGet() + "-" + RUN + "@own.example",
                                "role",
                                "viewer")));
            case NONE -> "";
        };
    }

    /**
     * Suspending, reactivating, shredding and offboarding change the tenant for every later cell: a platform
     * admin, whose calls succeed, gets a tenant of its own per cell. Every other caller targets the seeded
     * tenants, and must change nothing of them.
     */
    private static boolean lifecycle(Endpoint endpoint) {
        return endpoint.template().matches("/api/tenants/\\{id}(/suspend|/reactivate|/data-keys)?");
    }

    private static String freshTenant() {
        String id = "rbac-life-" + RUN + "-" + serial.incrementAndGet();
        return fresh(() -> system.command(
                "POST",
                "/api/tenants",
                system.token("rbac-setup", "rbac-setup", List.of(), true),
                Map.of("id", id, "name", id, "slug", id)));
    }

    private static String fresh(Supplier<SecurityFixture.Answer> creation) {
        return SecurityFixture.acceptedId(creation.get());
    }

    private static Object bodyFor(Endpoint endpoint) {
        int n = serial.incrementAndGet();
        return switch (endpoint.method() + " " + endpoint.template()) {
            case "POST /api/tenants" ->
                Map.of("id", "rbac-new-" + RUN + "-" + n, "name", "New " + n, "slug", "rbac-new-" + RUN + "-" + n);
            case "PUT /api/tenants/{id}/quotas" ->
                Map.of("deployments_per_hour", 200 + n, "workflows_per_hour", 100 + n);
            case "POST /api/deployments" -> Map.of("project_name", "matrix-" + n);
            case "PATCH /api/deployments/{id}" -> Map.of("url", "https://matrix-" + n + ".example");
            case "POST /api/workflows" -> Map.of("name", "matrix-" + n, "config", Map.of());
            case "PATCH /api/workflows/{id}" -> Map.of("name", "matrix-" + n);
            case "POST /api/users" -> Map.of("email", "matrix-" + n + "-" + RUN + "@own.example", "role", "viewer");
            case "POST /api/imports/deployments" ->
                Map.of(
                        "rows",
                        List.of(Map.of(
                                "legacy_id",
                                "m" + n,
                                "project_name",
                                "matrix-" + n,
                                "status",
                                "active",
                                "created_at",
                                "2020-01-01T00:00:00Z")));
            case "POST /api/imports/workflows" ->
                Map.of(
                        "rows",
                        List.of(Map.of(
                                "legacy_id",
                                "m" + n,
                                "name",
                                "matrix-" + n,
                                "status",
                                "draft",
                                "config",
                                Map.of(),
                                "created_at",
                                "2020-01-01T00:00:00Z")));
            case "POST /api/imports/users" ->
                Map.of(
                        "rows",
                        List.of(Map.of(
                                "legacy_id",
                                "m" + n,
                                "email",
                                "matrix-" + n + "-" + RUN + "@own.example",
                                "role",
                                "viewer",
                                "created_at",
                                "2020-01-01T00:00:00Z")));
            default -> null;
        };
    }

    private static void print(List<Cell> cells) {
        StringBuilder out = new StringBuilder();
        out.append("\nRBAC matrix (tenant own=")
                .append(OWN)
                .append(", foreign=")
                .append(FOREIGN)
                .append(", unknown=")
                .append(UNKNOWN)
                .append(")\n");
        out.append("cell: actual status; '!' marks a cell that differs from the contract (expected in brackets)\n");
        out.append(String.format("%-40s %-12s", "endpoint", "target"));
        for (Caller caller : Caller.values()) {
            out.append(String.format(" %-14s", caller.label));
        }
        out.append('\n');
        Endpoint last = null;
        for (Endpoint endpoint : ENDPOINTS) {
            for (Target target : endpoint.targets()) {
                out.append(String.format("%-40s %-12s", endpoint == last ? "" : endpoint.name(), target.label));
                last = endpoint;
                for (Caller caller : Caller.values()) {
                    Cell cell = cells.stream()
                            .filter(c -> c.endpoint() == endpoint && c.target() == target && c.caller() == caller)
                            .findFirst()
                            .orElseThrow();
                    String shown = cell.asExpected()
                            ? cell.actual().status() + " "
                                    + shortCode(cell.actual().errorCode())
                            : "!" + cell.actual().status() + "["
                                    + cell.expected().status() + "]";
                    out.append(String.format(" %-14s", shown.trim()));
                }
                out.append('\n');
            }
        }
        out.append("codes: UNAUTH=UNAUTHENTICATED, FORB=FORBIDDEN, T_FORB=TENANT_FORBIDDEN, NF=NOT_FOUND\n");
        System.out.println(out);
    }

    private static String shortCode(String code) {
        return switch (code) {
            case "UNAUTHENTICATED" -> "UNAUTH";
            case "FORBIDDEN" -> "FORB";
            case "TENANT_FORBIDDEN" -> "T_FORB";
            case "NOT_FOUND" -> "NF";
            default -> code;
        };
    }
}
