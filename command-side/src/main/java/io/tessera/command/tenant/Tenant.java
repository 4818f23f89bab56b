package io.tessera.command.tenant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.Validation;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.command.deployment.CreateDeployment;
import io.tessera.command.deployment.Deployment;
import io.tessera.command.workflow.CreateWorkflow;
import io.tessera.command.workflow.Workflow;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.infra.web.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

/**
 * A tenant, its creation quotas and its lifecycle: every deployment and workflow is created here, counted
 * against a rolling hour in the same unit of work that stores it, and only while the tenant is active. A
 * tenant first met through a creation is provisioned with the default quotas, so a token's home tenant
 * works without an explicit setup. Suspension can be lifted; offboarding is final. Creations in the import
 * mode (command metadata {@code import}, set only for an importer token) are neither checked nor counted.
 *
 * <p>The snapshot's revision names the shape of this state: snapshots of another revision are skipped
 * (the aggregate is rebuilt from its events), never read into a state they do not fit.
 */
@Revision(Tenant.SNAPSHOT_REVISION)
public class Tenant {

    public static final String RESOURCE = "Tenant";

    /** 2: per-minute creation counts ({@link CreationWindow}); none: one timestamp per creation. */
    public static final String SNAPSHOT_REVISION = "2";

    private static final String SUSPENDED_MESSAGE =
            "The tenant is suspended; its commands are refused until it is reactivated";
    private static final String OFFBOARDED_MESSAGE = "The tenant is offboarded; it accepts no commands";
    static final Duration WINDOW = Duration.ofHours(1);

    @AggregateIdentifier
    private String tenantId;

    private TenantQuotas quotas;
    private Lifecycle lifecycle = Lifecycle.ACTIVE;
    private CreationWindow deploymentCreations = new CreationWindow();
    private CreationWindow workflowCreations = new CreationWindow();

    enum Lifecycle {
        ACTIVE,
        SUSPENDED,
        OFFBOARDED
    }

    Tenant() {}

    @CommandHandler
    Tenant(CreateTenant command) throws CommandRejectedException {
        Validation.require(
                Validation.slug("id", command.tenantId()),
                Validation.name("name", command.name()),
                Validation.slug("slug", command.slug()));
        apply(new TenantCreated(command.tenantId(), command.name(), command.slug(), TenantQuotas.DEFAULT));
    }

    @CommandHandler
    void handle(ChangeTenantQuotas command) throws CommandRejectedException {
        TenantQuotas next = command.quotas();
        Validation.require(
                next == null ? "quotas: required" : null,
                next == null ? null : Validation.quota("deployments_per_hour", next.deploymentsPerHour()),
                next == null ? null : Validation.quota("workflows_per_hour", next.workflowsPerHour()));
        refuseIfOffboarded();
        if (!next.equals(quotas)) {
            apply(new TenantQuotasChanged(tenantId, next));
        }
    }

    @CommandHandler
    void handle(SuspendTenant command) throws CommandRejectedException {
        refuseIfOffboarded();
        if (lifecycle == Lifecycle.ACTIVE) {
            apply(new TenantSuspended(tenantId));
        }
    }

    @CommandHandler
    void handle(ReactivateTenant command) throws CommandRejectedException {
        refuseIfOffboarded();
        if (lifecycle == Lifecycle.SUSPENDED) {
            apply(new TenantReactivated(tenantId));
        }
    }

    @CommandHandler
    void handle(OffboardTenant command) throws CommandRejectedException {
        refuseIfOffboarded();
        apply(new TenantOffboarded(tenantId));
    }

    /** Allowed while suspended too: erasing personal data must not wait for a reactivation. */
    @CommandHandler
    void handle(ShredTenantDataKeys command) throws CommandRejectedException {
        refuseIfOffboarded();
        apply(new TenantDataKeysShredded(tenantId));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreateDeployment command, MetaData metaData) throws Exception {
        provisionIfNew(command.tenantId());
        requireActive();
        Deployment.validate(command);
        if (!CommandMetadata.imported(metaData)) {
            consumeQuota(QuotaResource.DEPLOYMENT, command.deploymentId());
        }
        createNew(Deployment.class, () -> new Deployment(command));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreateWorkflow command, MetaData metaData) throws Exception {
        provisionIfNew(command.tenantId());
        requireActive();
        Workflow.validate(command);
        if (!CommandMetadata.imported(metaData)) {
            consumeQuota(QuotaResource.WORKFLOW, command.workflowId());
        }
        createNew(Workflow.class, () -> new Workflow(command));
    }

    private void provisionIfNew(String id) throws CommandRejectedException {
        if (tenantId == null) {
            Validation.require(Validation.slug("tenant_id", id));
            apply(new TenantCreated(id, id, id, TenantQuotas.DEFAULT));
        }
    }

    private void requireActive() throws CommandRejectedException {
        if (lifecycle != Lifecycle.ACTIVE) {
            throw new CommandRejectedException(
                    ErrorCode.TENANT_SUSPENDED,
                    lifecycle == Lifecycle.OFFBOARDED ? OFFBOARDED_MESSAGE : SUSPENDED_MESSAGE);
        }
    }

    private void refuseIfOffboarded() throws CommandRejectedException {
        if (lifecycle == Lifecycle.OFFBOARDED) {
            throw CommandRejectedException.conflict("The tenant is offboarded, which is final");
        }
    }

    private void consumeQuota(QuotaResource resource, String resourceId) throws CommandRejectedException {
        CreationWindow creations = creationsOf(resource);
        Instant now = GenericEventMessage.clock.instant();
        int limit = resource == QuotaResource.DEPLOYMENT ? quotas.deploymentsPerHour() : quotas.workflowsPerHour();
        if (creations.count(now) >= limit) {
            throw new CommandRejectedException(
                    ErrorCode.QUOTA_EXCEEDED,
                    "The tenant may create " + limit + " " + resource.name().toLowerCase(Locale.ROOT) + "s per hour",
                    creations.untilOldestLeaves(now).orElse(WINDOW));
        }
        apply(new CreationQuotaConsumed(tenantId, resource, resourceId));
    }

    private CreationWindow creationsOf(QuotaResource resource) {
        return resource == QuotaResource.DEPLOYMENT ? deploymentCreations : workflowCreations;
    }

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
        quotas = event.quotas();
    }

    @EventSourcingHandler
    void on(TenantQuotasChanged event) {
        quotas = event.quotas();
    }

    @EventSourcingHandler
    void on(TenantSuspended event) {
        lifecycle = Lifecycle.SUSPENDED;
    }

    @EventSourcingHandler
    void on(TenantReactivated event) {
        lifecycle = Lifecycle.ACTIVE;
    }

    @EventSourcingHandler
    void on(TenantOffboarded event) {
        lifecycle = Lifecycle.OFFBOARDED;
    }

    @EventSourcingHandler
    void on(CreationQuotaConsumed event, @Timestamp Instant at) {
        creationsOf(event.resource()).add(at);
    }
}
