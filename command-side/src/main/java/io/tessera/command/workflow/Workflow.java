package io.tessera.command.workflow;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** One workflow of a tenant; created by {@link io.tessera.command.tenant.Tenant} once its quota allows. */
public class Workflow {

    public static final String RESOURCE = "Workflow";

    private static final Map<WorkflowStatus, Set<WorkflowStatus>> TRANSITIONS = Map.of(
            WorkflowStatus.DRAFT, EnumSet.of(WorkflowStatus.ACTIVE, WorkflowStatus.ARCHIVED),
            WorkflowStatus.ACTIVE, EnumSet.of(WorkflowStatus.PAUSED, WorkflowStatus.ARCHIVED),
            WorkflowStatus.PAUSED, EnumSet.of(WorkflowStatus.ACTIVE, WorkflowStatus.ARCHIVED),
            WorkflowStatus.ARCHIVED, EnumSet.noneOf(WorkflowStatus.class));

    @AggregateIdentifier
    private String workflowId;

    private String tenantId;
    private String name;
    private WorkflowStatus status;
    private Map<String, Object> config;
    private boolean deleted;

    Workflow() {}

    /** Only the {@code Tenant} creates one, once it has {@linkplain #validate validated} the command. */
    public Workflow(CreateWorkflow command) {
        apply(new WorkflowCreated(
                command.tenantId(), command.workflowId(), command.name(), command.config(), WorkflowStatus.DRAFT));
    }

    public static void validate(CreateWorkflow command) throws CommandRejectedException {
        Validation.require(
                command.workflowId() == null ? "workflow_id: required" : null,
                Validation.name("name", command.name()),
                Validation.config("config", command.config()));
    }

    public static boolean mayMove(WorkflowStatus from, WorkflowStatus to) {
        return TRANSITIONS.get(from).contains(to);
    }

    @CommandHandler
    void handle(UpdateWorkflow command) throws CommandRejectedException {
        requireVisibleTo(command.tenantId());
        Validation.require(
                command.name() == null ? null : Validation.name("name", command.name()),
                command.config() == null ? null : Validation.config("config", command.config()));
        WorkflowStatus target = command.status();
        if (target != null && target != status && !mayMove(status, target)) {
            throw CommandRejectedException.conflict(
                    "A workflow cannot move from " + status.jsonName() + " to " + target.jsonName());
        }
        if (command.name() != null && !command.name().equals(name)) {
            apply(new WorkflowRenamed(tenantId, workflowId, command.name()));
        }
        if (target != null && target != status) {
            apply(new WorkflowStatusChanged(tenantId, workflowId, status, target));
        }
        if (command.config() != null && !Objects.equals(command.config(), config)) {
            apply(new WorkflowConfigChanged(tenantId, workflowId, command.config()));
        }
    }

    @CommandHandler
    void handle(DeleteWorkflow command) throws CommandRejectedException {
        requireVisibleTo(command.tenantId());
        apply(new WorkflowDeleted(tenantId, workflowId, status));
    }

    private void requireVisibleTo(String commandTenant) throws CommandRejectedException {
        if (deleted || !Validation.sameTenant(tenantId, commandTenant)) {
            throw CommandRejectedException.notFound(RESOURCE);
        }
    }

    @EventSourcingHandler
    void on(WorkflowCreated event) {
        workflowId = event.workflowId();
        tenantId = event.tenantId();
        name = event.name();
        config = event.config();
        status = event.status();
    }

    @EventSourcingHandler
    void on(WorkflowRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(WorkflowStatusChanged event) {
        status = event.to();
    }

    @EventSourcingHandler
    void on(WorkflowConfigChanged event) {
        config = event.config();
    }

    @EventSourcingHandler
    void on(WorkflowDeleted event) {
        deleted = true;
    }
}
