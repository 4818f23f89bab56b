package io.tessera.command.imports;

import io.tessera.command.Validation;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.command.deployment.CreateDeployment;
import io.tessera.command.deployment.Deployment;
import io.tessera.command.deployment.UpdateDeployment;
import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome;
import io.tessera.command.intake.CommandRequest;
import io.tessera.command.intake.IdempotencyKey;
import io.tessera.command.user.CreateUser;
import io.tessera.command.user.User;
import io.tessera.command.workflow.CreateWorkflow;
import io.tessera.command.workflow.UpdateWorkflow;
import io.tessera.command.workflow.Workflow;
import io.tessera.command.workflow.WorkflowRequests;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.user.Role;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns one legacy row into its commands and runs them in order through the {@link CommandExecutor}: the
 * creation, then the status changes the aggregate's status machine allows on the way to the row's status.
 * Each step has the idempotency key {@code import:<resource>:<legacy id>:<step>} (the creation's step names a
 * fingerprint of the row's content), so a step done once is answered from the command log and stores
 * nothing again.
 */
@Component
class LegacyImport {

    private static final Map<DeploymentStatus, List<DeploymentStatus>> DEPLOYMENT_PATHS = Map.of(
            DeploymentStatus.PENDING, List.of(),
            DeploymentStatus.BUILDING, List.of(DeploymentStatus.BUILDING),
            DeploymentStatus.ACTIVE, List.of(DeploymentStatus.BUILDING, DeploymentStatus.ACTIVE),
            DeploymentStatus.FAILED, List.of(DeploymentStatus.FAILED),
            DeploymentStatus.CANCELLED, List.of(DeploymentStatus.CANCELLED));

    private static final Map<WorkflowStatus, List<WorkflowStatus>> WORKFLOW_PATHS = Map.of(
            WorkflowStatus.DRAFT, List.of(),
            WorkflowStatus.ACTIVE, List.of(WorkflowStatus.ACTIVE),
            WorkflowStatus.PAUSED, List.of(WorkflowStatus.ACTIVE, WorkflowStatus.PAUSED),
            WorkflowStatus.ARCHIVED, List.of(WorkflowStatus.ARCHIVED));

    private final CommandExecutor executor;
    private final PiiVault vault;

    LegacyImport(CommandExecutor executor, PiiVault vault) {
        this.vault = vault;
        this.executor = executor;
    }

    /** The id a legacy row gets in Tessera: the same for the same tenant and legacy id, on every run. */
    static String idFor(String tenantId, String resource, String legacyId) {
        String key = "tessera-import\n" + tenantId + "\n" + resource + "\n" + legacyId;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    LegacyRows.Outcome deployment(RequestTenant tenant, LegacyRows.Deployment row) {
        List<String> problems = new ArrayList<>();
        Instant createdAt = common(row.legacyId(), row.createdAt(), problems);
        DeploymentStatus status = parse(DeploymentStatus.values(), DeploymentStatus::jsonName, row.status());
        if (status == null) {
            problems.add("status: one of pending, building, active, failed, cancelled");
        }
        if (!problems.isEmpty()) {
            return invalid(row.legacyId(), problems);
        }
        String tenantId = tenant.tenantId();
        String id = idFor(tenantId, "deployment", row.legacyId());
        Steps steps = new Steps(tenant, Deployment.RESOURCE, "deployment", row.legacyId(), id);
        steps.run(
                "created:" + fingerprint(row.projectName(), row.url(), createdAt.toString()),
                new CreateDeployment(tenantId, id, row.projectName(), row.url()),
                Map.of(CommandMetadata.LEGACY_CREATED_AT, createdAt.toString()));
        for (DeploymentStatus next : DEPLOYMENT_PATHS.get(status)) {
            steps.run("status:" + next.jsonName(), new UpdateDeployment(tenantId, id, next, null), Map.of());
        }
        return steps.outcome();
    }

    LegacyRows.Outcome workflow(RequestTenant tenant, LegacyRows.Workflow row) {
        List<String> problems = new ArrayList<>();
        Instant createdAt = common(row.legacyId(), row.createdAt(), problems);
        WorkflowStatus status = parse(WorkflowStatus.values(), WorkflowStatus::jsonName, row.status());
        if (status == null) {
            problems.add("status: one of draft, active, paused, archived");
        }
        Map<String, Object> config = WorkflowRequests.configOf(row.config(), problems);
        if (!problems.isEmpty()) {
            return invalid(row.legacyId(), problems);
        }
        String tenantId = tenant.tenantId();
        String id = idFor(tenantId, "workflow", row.legacyId());
        Steps steps = new Steps(tenant, Workflow.RESOURCE, "workflow", row.legacyId(), id);
        steps.run(
                "created:" + fingerprint(row.name(), String.valueOf(config), createdAt.toString()),
                new CreateWorkflow(tenantId, id, row.name(), config),
                Map.of(CommandMetadata.LEGACY_CREATED_AT, createdAt.toString()));
        for (WorkflowStatus next : WORKFLOW_PATHS.get(status)) {
            steps.run("status:" + next.jsonName(), new UpdateWorkflow(tenantId, id, null, next, null), Map.of());
        }
        return steps.outcome();
    }

    LegacyRows.Outcome user(RequestTenant tenant, LegacyRows.User row) {
        List<String> problems = new ArrayList<>();
        Instant createdAt = common(row.legacyId(), row.createdAt(), problems);
        Optional<Role> role = Optional.ofNullable(row.role()).flatMap(Role::fromJsonName);
        problems.addAll(Validation.problems(
                Validation.email("email", row.email()),
                role.isEmpty() ? "role: one of viewer, editor, admin, auditor" : null));
        if (!problems.isEmpty()) {
            return invalid(row.legacyId(), problems);
        }
        String tenantId = tenant.tenantId();
        String email = row.email().trim().toLowerCase(Locale.ROOT);
        String id = User.idFor(tenantId, email, vault);
        Steps steps = new Steps(tenant, User.RESOURCE, "user", row.legacyId(), id);
        steps.run(
                "created:" + fingerprint(email, role.get().jsonName(), createdAt.toString()),
                new CreateUser(tenantId, id, email, role.get()),
                Map.of(CommandMetadata.LEGACY_CREATED_AT, createdAt.toString()));
        return steps.outcome();
    }

    /**
     * Part of a creation's idempotency key: a row fixed in the old database after its creation was refused
     * gets a new key and is tried again, instead of being answered with the remembered refusal.
     */
    private static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static Instant common(String legacyId, String createdAt, List<String> problems) {
        if (legacyId == null || legacyId.isBlank() || legacyId.length() > LegacyRows.MAX_LEGACY_ID) {
            problems.add("legacy_id: required, at most " + LegacyRows.MAX_LEGACY_ID + " characters");
        } else if (!Validation.printable(legacyId)) {
            problems.add("legacy_id: printable characters only");
        }
        if (createdAt == null) {
            problems.add("created_at: required, ISO-8601 with an offset");
            return null;
        }
        try {
            return OffsetDateTime.parse(createdAt).toInstant();
        } catch (DateTimeParseException e) {
            problems.add("created_at: ISO-8601 with an offset");
            return null;
        }
    }

    private static <T> T parse(T[] values, java.util.function.Function<T, String> name, String text) {
        return Arrays.stream(values)
                .filter(v -> name.apply(v).equals(text))
                .findFirst()
                .orElse(null);
    }

    private static LegacyRows.Outcome invalid(String legacyId, List<String> problems) {
        return new LegacyRows.Outcome(
                legacyId,
                null,
                "rejected",
                null,
                new LegacyRows.Error(ErrorCode.VALIDATION_FAILED.name(), String.join("; ", problems)));
    }

    /** The commands of one row, stopped by the first rejection. */
    private final class Steps {

        private final RequestTenant tenant;
        private final String resource;
        private final String keyPrefix;
        private final String legacyId;
        private final String id;
        private boolean stored;
        private Long position;
        private CommandOutcome rejection;

        Steps(RequestTenant tenant, String resource, String resourceKey, String legacyId, String id) {
            this.tenant = tenant;
            this.resource = resource;
            this.keyPrefix = "import:" + resourceKey + ":" + legacyId + ":";
            this.legacyId = legacyId;
            this.id = id;
        }

        void run(String step, Object command, Map<String, String> metadata) {
            if (rejection != null) {
                return;
            }
            Map<String, String> all = new HashMap<>(metadata);
            all.put(CommandMetadata.IMPORT, "true");
            String commandId = UUID.randomUUID().toString();
            CommandOutcome outcome = executor.execute(new CommandRequest(
                    tenant.tenantId(),
                    "import:" + tenant.caller().subject(),
                    IdempotencyKey.ofStep(
                            keyPrefix + step, "import:" + tenant.caller().subject()),
                    commandId,
                    resource,
                    id,
                    command,
                    all));
            if (!outcome.accepted()) {
                rejection = outcome;
                return;
            }
            stored |= outcome.commandId().equals(commandId);
            position = outcome.position();
        }

        LegacyRows.Outcome outcome() {
            if (rejection != null) {
                return new LegacyRows.Outcome(
                        legacyId,
                        id,
                        "rejected",
                        null,
                        new LegacyRows.Error(rejection.code().name(), rejection.message()));
            }
            return new LegacyRows.Outcome(legacyId, id, stored ? "imported" : "unchanged", position, null);
        }
    }
}
