package io.tessera.command.deployment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** One deployment of a tenant; created by {@link io.tessera.command.tenant.Tenant} once its quota allows. */
public class Deployment {

    public static final String RESOURCE = "Deployment";

    private static final Map<DeploymentStatus, Set<DeploymentStatus>> TRANSITIONS = Map.of(
            DeploymentStatus.PENDING,
                    EnumSet.of(DeploymentStatus.BUILDING, DeploymentStatus.CANCELLED, DeploymentStatus.FAILED),
            DeploymentStatus.BUILDING,
                    EnumSet.of(DeploymentStatus.ACTIVE, DeploymentStatus.FAILED, DeploymentStatus.CANCELLED),
            DeploymentStatus.ACTIVE, EnumSet.of(DeploymentStatus.BUILDING),
            DeploymentStatus.FAILED, EnumSet.of(DeploymentStatus.BUILDING),
            DeploymentStatus.CANCELLED, EnumSet.noneOf(DeploymentStatus.class));

    @AggregateIdentifier
    private String deploymentId;

    private String tenantId;
    private DeploymentStatus status;
    private String url;
    private boolean deleted;

    Deployment() {}

    /** Only the {@code Tenant} creates one, once it has {@linkplain #validate validated} the command. */
    public Deployment(CreateDeployment command) {
        apply(new DeploymentCreated(
                command.tenantId(),
                command.deploymentId(),
                command.projectName(),
                command.url(),
                DeploymentStatus.PENDING));
    }

    public static void validate(CreateDeployment command) throws CommandRejectedException {
        Validation.require(
                command.deploymentId() == null ? "deployment_id: required" : null,
                Validation.name("project_name", command.projectName()),
                Validation.optionalUrl("url", command.url()));
    }

    public static boolean mayMove(DeploymentStatus from, DeploymentStatus to) {
        return TRANSITIONS.get(from).contains(to);
    }

    @CommandHandler
    void handle(UpdateDeployment command) throws CommandRejectedException {
        requireVisibleTo(command.tenantId());
        Validation.require(Validation.optionalUrl("url", command.url()));
        DeploymentStatus target = command.status();
        if (target != null && target != status && !mayMove(status, target)) {
            throw CommandRejectedException.conflict(
                    "A deployment cannot move from " + status.jsonName() + " to " + target.jsonName());
        }
        if (target != null && target != status) {
            apply(new DeploymentStatusChanged(tenantId, deploymentId, status, target));
        }
        if (command.url() != null && !Objects.equals(command.url(), url)) {
            apply(new DeploymentUrlChanged(tenantId, deploymentId, command.url()));
        }
    }

    @CommandHandler
    void handle(DeleteDeployment command) throws CommandRejectedException {
        requireVisibleTo(command.tenantId());
        apply(new DeploymentDeleted(tenantId, deploymentId, status));
    }

    private void requireVisibleTo(String commandTenant) throws CommandRejectedException {
        if (deleted || !Validation.sameTenant(tenantId, commandTenant)) {
            throw CommandRejectedException.notFound(RESOURCE);
        }
    }

    @EventSourcingHandler
    void on(DeploymentCreated event) {
        deploymentId = event.deploymentId();
        tenantId = event.tenantId();
        status = event.status();
        url = event.url();
    }

    @EventSourcingHandler
    void on(DeploymentStatusChanged event) {
        status = event.to();
    }

    @EventSourcingHandler
    void on(DeploymentUrlChanged event) {
        url = event.url();
    }

    @EventSourcingHandler
    void on(DeploymentDeleted event) {
        deleted = true;
    }
}
