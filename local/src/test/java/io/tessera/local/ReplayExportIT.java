package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.query.eventlog.DeploymentState;
import io.tessera.query.eventlog.LogFold;
import io.tessera.query.eventlog.WorkflowState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The auditor's offline check over the running system: {@code ./tessera replay} exports a tenant's log,
 * the export is re-folded without the query side ({@link LogFold}) and gives the read model's state of
 * every deployment and workflow; the hash chain over the same log verifies, and the rejected commands are
 * in it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayExportIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TENANT =
            "replay-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path home;

    private static LocalRun run;
    private static ApiClient commandSide;
    private static ApiClient querySide;
    private static TokenIssuer tokens;

    @BeforeAll
    static void startTheSystem() {
        LocalRunSettings settings = TestRuns.onSharedInfrastructure(home);
        run = new LocalRun(settings, notice -> {}).start();
        commandSide = new ApiClient(run.commandSideUrl());
        querySide = new ApiClient(run.querySideUrl());
        tokens = settings.jwtSecret().tokenIssuer(Map.of());
    }

    @AfterAll
    static void stopTheSystem() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void theExportReFoldedOfflineGivesTheReadModelsState() throws Exception {
        String editor = token(Role.EDITOR);
        List<String> deployments = new ArrayList<>();
        List<String> workflows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deployments.add(accepted(command("POST", "/api/deployments", editor, Map.of("project_name", "site-" + i))));
            workflows.add(accepted(command(
                    "POST", "/api/workflows", editor, Map.of("name", "flow-" + i, "config", Map.of("step", i)))));
        }
        accepted(command("PATCH", "/api/deployments/" + deployments.get(0), editor, Map.of("status", "building")));
        accepted(command(
                "PATCH",
                "/api/deployments/" + deployments.get(0),
                editor,
                Map.of("status", "active", "url", "https://site-0.example")));
        accepted(command("DELETE", "/api/deployments/" + deployments.get(1), editor, null));
        accepted(command(
                "PATCH",
                "/api/workflows/" + workflows.get(0),
                editor,
                Map.of("name", "renamed", "status", "active", "config", Map.of("step", 9))));
        ApiClient.Response conflict =
                command("PATCH", "/api/deployments/" + deployments.get(2), editor, Map.of("status", "active"));
        assertThat(conflict.status()).isEqualTo(409);
        ApiClient.Response forbidden =
                command("POST", "/api/deployments", token(Role.VIEWER), Map.of("project_name", "not-allowed"));
        assertThat(forbidden.status()).isEqualTo(403);
        awaitAudited(2);

        Path export = home.resolve("export.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TesseraCli.execute(
                new String[] {"replay", "--tenant", TENANT, "--to-file", export.toString(), "--url", run.querySideUrl()
                },
                Map.of(),
                home,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Exported " + lines.size() + " events");
        List<Long> positions = lines.stream()
                .map(line -> JSON.readTree(line).get("position").asLong())
                .toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(lines.stream().filter(line -> line.contains("\"tessera.command.rejected.v1\"")))
                .hasSize(2);
        System.out.println("Replay export: " + lines.size() + " events of " + TENANT);

        LogFold.Folded folded = LogFold.fold(lines);

        assertThat(folded.deployments().keySet()).containsExactlyInAnyOrderElementsOf(deployments);
        assertThat(folded.workflows().keySet()).containsExactlyInAnyOrderElementsOf(workflows);
        for (String id : deployments) {
            DeploymentState state = folded.deployments().get(id);
            ApiClient.Response read = querySide.get("/api/deployments/" + id, token(Role.VIEWER));
            if (state.deleted()) {
                assertThat(read.status()).isEqualTo(404);
                continue;
            }
            assertThat(read.status()).as(read.describe()).isEqualTo(200);
            JsonNode row = read.data();
            assertThat(state.projectName()).isEqualTo(row.get("project_name").asString());
            assertThat(state.status()).isEqualTo(row.get("status").asString());
            assertThat(state.url())
                    .isEqualTo(row.get("url").isNull() ? null : row.get("url").asString());
            assertThat(state.version()).isEqualTo(row.get("version").asLong());
        }
        assertThat(folded.deployments().get(deployments.get(1)).deleted()).isTrue();
        assertThat(folded.deployments().get(deployments.get(0)).status()).isEqualTo("active");
        for (String id : workflows) {
            WorkflowState state = folded.workflows().get(id);
            JsonNode row =
                    querySide.get("/api/workflows/" + id, token(Role.VIEWER)).data();
            assertThat(state.name()).isEqualTo(row.get("name").asString());
            assertThat(state.status()).isEqualTo(row.get("status").asString());
            JsonNode config = JSON.valueToTree(state.config());
            assertThat(config).isEqualTo(row.get("config"));
            assertThat(state.version()).isEqualTo(row.get("version").asLong());
        }
        assertThat(folded.workflows().get(workflows.get(0)).name()).isEqualTo("renamed");

        Path tail = home.resolve("tail.jsonl");
        assertThat(TesseraCli.execute(
                        new String[] {
                            "replay",
                            "--tenant",
                            TENANT,
                            "--from",
                            Long.toString(positions.get(4)),
                            "--to-file",
                            tail.toString(),
                            "--url",
                            run.querySideUrl()
                        },
                        Map.of(),
                        home,
                        System.out,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(Files.readAllLines(tail, StandardCharsets.UTF_8)).isEqualTo(lines.subList(5, lines.size()));

        JsonNode verdict =
                querySide.get("/api/audit/verify", token(Role.AUDITOR)).data();
        assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("entries_checked").asLong()).isEqualTo(lines.size());
    }

    /**
     * {@code ./tessera verify} checks an export with the public keys alone: every signature, every logged event
     * against its signed CloudEvent, and the tenant's chain; an edited line, a removed one or another key fail.
     */
    @Test
    @Order(2)
    void theExportVerifiesOfflineWithThePublicKeysAlone() throws Exception {
        String editor = token(Role.EDITOR);
        for (int i = 0; i < 3; i++) {
            accepted(command(
                    "POST", "/api/workflows", editor, Map.of("name", "v-" + i, "config", Map.of("ratio", 1.50))));
        }
        Path export = home.resolve("verify.jsonl");
        assertThat(TesseraCli.execute(
                        new String[] {
                            "replay", "--tenant", TENANT, "--to-file", export.toString(), "--url", run.querySideUrl()
                        },
                        Map.of(),
                        home,
                        System.out,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isZero();
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        String keys = LocalInfrastructure.shared().eventSigningProperties().get("tessera.events.public-keys");

        assertThat(verify(export, keys)).startsWith("OK " + lines.size() + " events, " + lines.size() + " signed");

        int creation = 0;
        while (!lines.get(creation).contains("\"tessera.workflow.created.v1\"")) {
            creation++;
        }
        ObjectNode renamed = (ObjectNode) JSON.readTree(lines.get(creation));
        ((ObjectNode) renamed.get("data")).put("name", "not-what-was-signed");
        List<String> edited = new ArrayList<>(lines);
        edited.set(creation, JSON.writeValueAsString(renamed));
        assertThat(verify(write("edited.jsonl", edited), keys))
                .contains(
                        "line " + (creation + 1),
                        "the logged event is not the signed one (data)",
                        "hash does not match the entry");

        List<String> removed = new ArrayList<>(lines);
        removed.remove(1);
        assertThat(verify(write("removed.jsonl", removed), keys))
                .contains("line 2", "previous_hash is not the hash of the entry before");

        KeyPair other = Ed25519Keys.generate();
        String otherKeys =
                LocalInfrastructure.shared().eventSigningKeyId() + "=" + Ed25519Keys.encode(other.getPublic());
        assertThat(verify(export, otherKeys)).contains("signature does not verify with key");
    }

    private static Path write(String name, List<String> lines) throws Exception {
        return Files.write(home.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static String verify(Path export, String keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = TesseraCli.execute(
                new String[] {"verify", export.toString(), "--keys", keys},
                Map.of(),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isEqualTo(report.startsWith("OK") ? 0 : 1);
        return report;
    }

    private ApiClient.Response command(String method, String path, String token, Object body) {
        return commandSide.send(method, path, token, body);
    }

    private static String accepted(ApiClient.Response response) {
        assertThat(response.status()).as(response.describe()).isEqualTo(202);
        long position = response.data().get("position").asLong();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> querySide
                                .get(
                                        "/api/events?limit=1",
                                        token(Role.AUDITOR),
                                        "X-Min-Position",
                                        Long.toString(position))
                                .status(),
                        status -> status == 200);
        return response.data().get("id").asString();
    }

    private static void awaitAudited(int rejections) {
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            int seen = 0;
                            for (JsonNode entry : querySide
                                    .get("/api/audit?limit=100", token(Role.AUDITOR))
                                    .data()) {
                                seen += entry.get("outcome").asString().equals("rejected") ? 1 : 0;
                            }
                            return seen;
                        },
                        seen -> seen >= rejections);
    }

    private static String token(Role role) {
        return tokens.issue("replay-" + role.jsonName(), TENANT, Set.of(role), Set.of(), false, Duration.ofHours(1));
    }
}
