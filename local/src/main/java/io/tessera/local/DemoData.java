package io.tessera.local;

import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo tenants {@code acme} and {@code globex}, created through the command side's API like any
 * client would. A tenant that exists already is left alone; a new one gets a few deployments and
 * workflows, each sent with its own {@code Idempotency-Key} so that a retry never duplicates one.
 */
final class DemoData {

    static final List<String> TENANTS = List.of("acme", "globex");
    static final String PLATFORM_TENANT = "platform";

    private static final Map<String, String> NAMES = Map.of("acme", "Acme Corporation", "globex", "Globex Inc.");
    private static final Map<String, List<String>> PROJECTS = Map.of(
            "acme", List.of("storefront", "checkout-api", "search-indexer", "marketing-site"),
            "globex", List.of("billing-service", "hr-portal", "data-pipeline", "mobile-backend"));
    private static final Map<String, Map<String, Object>> WORKFLOWS = Map.of(
            "nightly-build", Map.of("trigger", "schedule", "cron", "0 2 * * *", "steps", List.of("build", "test")),
            "release", Map.of("trigger", "tag", "steps", List.of("build", "test", "deploy")),
            "preview-environments", Map.of("trigger", "pull_request", "steps", List.of("build", "deploy-preview")));

    private final ApiClient commandSide;
    private final TokenIssuer tokens;

    DemoData(ApiClient commandSide, TokenIssuer tokens) {
        this.commandSide = commandSide;
        this.tokens = tokens;
    }

    /** Seeds what is missing; one line per tenant saying what happened. */
    List<String> seed() {
        String platformAdmin =
                tokens.issue("tessera-demo", PLATFORM_TENANT, Set.of(), Set.of(), true, Duration.ofMinutes(10));
        List<String> outcome = new ArrayList<>();
        for (String tenant : TENANTS) {
            ApiClient.Response created = commandSide.send(
                    "POST",
                    "/api/tenants",
                    platformAdmin,
                    Map.of("id", tenant, "name", NAMES.get(tenant), "slug", tenant));
            if (created.status() == 409) {
                outcome.add(tenant + ": exists already, left as it is");
            } else if (created.successful()) {
                outcome.add(tenant + ": created, " + seedItems(tenant));
            } else {
                outcome.add(tenant + ": not created (" + created.describe() + ")");
            }
        }
        return outcome;
    }

    private String seedItems(String tenant) {
        String editor =
                tokens.issue("tessera-demo", tenant, Set.of(Role.EDITOR), Set.of(), false, Duration.ofMinutes(10));
        List<String> failures = new ArrayList<>();
        int deployments = 0;
        for (String project : PROJECTS.get(tenant)) {
            Map<String, Object> body =
                    Map.of("project_name", project, "url", "https://" + project + "." + tenant + ".example");
            deployments +=
                    post("/api/deployments", editor, body, "demo-" + tenant + "-deployment-" + project, failures);
        }
        int workflows = 0;
        for (Map.Entry<String, Map<String, Object>> workflow : WORKFLOWS.entrySet()) {
            Map<String, Object> body = Map.of("name", workflow.getKey(), "config", workflow.getValue());
            workflows +=
                    post("/api/workflows", editor, body, "demo-" + tenant + "-workflow-" + workflow.getKey(), failures);
        }
        return deployments + " deployments and " + workflows + " workflows"
                + (failures.isEmpty() ? "" : "; failed: " + String.join(", ", failures));
    }

    private int post(
            String path, String token, Map<String, Object> body, String idempotencyKey, List<String> failures) {
        ApiClient.Response response = commandSide.send("POST", path, token, body, "Idempotency-Key", idempotencyKey);
        if (response.successful()) {
            return 1;
        }
        failures.add(idempotencyKey + " (" + response.describe() + ")");
        return 0;
    }
}
