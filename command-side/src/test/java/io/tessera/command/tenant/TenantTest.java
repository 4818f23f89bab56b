package io.tessera.command.tenant;

import static io.tessera.command.Rejections.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.command.CommandRejectedException;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.command.deployment.CreateDeployment;
import io.tessera.command.workflow.CreateWorkflow;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.web.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.RepositoryProvider;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantTest {

    private static final String TENANT = "acme";
    private static final TenantCreated CREATED = new TenantCreated(TENANT, "Acme", "acme", new TenantQuotas(3, 2));

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    private FixtureConfiguration<Tenant> fixture;
    private EventStore children;

    @BeforeEach
    void setUp() {
        // The fixture's store takes the tenant's events only; created children go to a store of their own.
        children = EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine())
                .build();
        fixture = new AggregateTestFixture<>(Tenant.class).registerRepositoryProvider(new RepositoryProvider() {
            @Override
            public <T> Repository<T> repositoryFor(Class<T> aggregateType) {
                return EventSourcingRepository.builder(aggregateType)
                        .eventStore(children)
                        .build();
            }
        });
    }

    @Test
    void createsATenantWithDefaultQuotas() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant(TENANT, "Acme", "acme"))
                .expectEvents(new TenantCreated(TENANT, "Acme", "acme", TenantQuotas.DEFAULT));
    }

    @Test
    void rejectsATenantIdThatIsNotASlug() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("Not A Slug", "Acme", "acme"))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void changesQuotas() {
        fixture.given(CREATED)
                .when(new ChangeTenantQuotas(TENANT, new TenantQuotas(10, 5)))
                .expectEvents(new TenantQuotasChanged(TENANT, new TenantQuotas(10, 5)));
    }

    @Test
    void rejectsNegativeQuotas() {
        fixture.given(CREATED)
                .when(new ChangeTenantQuotas(TENANT, new TenantQuotas(-1, 5)))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void countsACreationAndCreatesTheDeployment() {
        fixture.given(CREATED)
                .when(new CreateDeployment(TENANT, "d-1", "shop", null))
                .expectEvents(new CreationQuotaConsumed(TENANT, QuotaResource.DEPLOYMENT, "d-1"));
        assertThat(childEvents("d-1"))
                .containsExactly(new DeploymentCreated(TENANT, "d-1", "shop", null, DeploymentStatus.PENDING));
    }

    @Test
    void provisionsAnUnknownTenantOnItsFirstCreation() {
        fixture.givenNoPriorActivity()
                .when(new CreateDeployment(TENANT, "d-1", "shop", null))
                .expectEvents(
                        new TenantCreated(TENANT, TENANT, TENANT, TenantQuotas.DEFAULT),
                        new CreationQuotaConsumed(TENANT, QuotaResource.DEPLOYMENT, "d-1"));
        assertThat(childEvents("d-1")).hasSize(1);
    }

    @Test
    void rejectsCreationBeyondHourlyQuota() {
        fixture.given(consumed(QuotaResource.DEPLOYMENT, 3))
                .when(new CreateDeployment(TENANT, "d-4", "shop", null))
                .expectException(rejectedWith(ErrorCode.QUOTA_EXCEEDED))
                .expectExceptionMessage("The tenant may create 3 deployments per hour")
                .expectNoEvents();
    }

    @Test
    void importedCreationsBeyondTheQuotaAreNeitherRefusedNorCounted() {
        fixture.given(consumed(QuotaResource.DEPLOYMENT, 3))
                .when(new CreateDeployment(TENANT, "d-4", "shop", null), Map.of(CommandMetadata.IMPORT, "true"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(childEvents("d-4")).hasSize(1);
    }

    @Test
    void importedWorkflowCreationsBeyondTheQuotaAreNeitherRefusedNorCounted() {
        fixture.given(consumed(QuotaResource.WORKFLOW, 2))
                .when(new CreateWorkflow(TENANT, "w-3", "flow", Map.of()), Map.of(CommandMetadata.IMPORT, "true"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(childEvents("w-3")).hasSize(1);
    }

    @Test
    void answersQuotaExceededWithTheTimeUntilTheOldestCreationLeavesTheWindow() {
        fixture.givenCurrentTime(T0)
                .andGiven(consumed(QuotaResource.DEPLOYMENT, 3))
                .andGivenCurrentTime(T0.plus(Duration.ofMinutes(20)))
                .when(new CreateDeployment(TENANT, "d-4", "shop", null))
                .expectException(rejectedWith(ErrorCode.QUOTA_EXCEEDED, Duration.ofMinutes(40)));
    }

    @Test
    void allowsCreationAgainOnceTheOldestLeftTheRollingHour() {
        fixture.givenCurrentTime(T0)
                .andGiven(consumed(QuotaResource.DEPLOYMENT, 3))
                .andGivenCurrentTime(T0.plus(Duration.ofMinutes(61)))
                .when(new CreateDeployment(TENANT, "d-4", "shop", null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void countsWorkflowsSeparatelyFromDeployments() {
        fixture.given(consumed(QuotaResource.DEPLOYMENT, 3))
                .when(new CreateWorkflow(TENANT, "w-1", "flow", Map.of()))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void rejectsWorkflowCreationBeyondHourlyQuota() {
        fixture.given(consumed(QuotaResource.WORKFLOW, 2))
                .when(new CreateWorkflow(TENANT, "w-3", "flow", Map.of()))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void doesNotCountAnInvalidCreation() {
        fixture.given(CREATED)
                .when(new CreateDeployment(TENANT, "d-1", "", null))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void raisedQuotasAllowMoreCreations() {
        List<Object> history = consumed(QuotaResource.DEPLOYMENT, 3);
        history.add(new TenantQuotasChanged(TENANT, new TenantQuotas(4, 2)));
        fixture.given(history)
                .when(new CreateDeployment(TENANT, "d-4", "shop", null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void createsTheWorkflowAsDraft() {
        fixture.given(CREATED)
                .when(new CreateWorkflow(TENANT, "w-1", "flow", Map.of("steps", List.of())))
                .expectEvents(new CreationQuotaConsumed(TENANT, QuotaResource.WORKFLOW, "w-1"));
        assertThat(childEvents("w-1"))
                .containsExactly(
                        new WorkflowCreated(TENANT, "w-1", "flow", Map.of("steps", List.of()), WorkflowStatus.DRAFT));
    }

    @Test
    void suspendsAnActiveTenant() {
        fixture.given(CREATED).when(new SuspendTenant(TENANT)).expectEvents(new TenantSuspended(TENANT));
    }

    @Test
    void suspendingASuspendedTenantChangesNothing() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new SuspendTenant(TENANT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesDeploymentCreationWhileSuspended() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new CreateDeployment(TENANT, "d-1", "shop", null))
                .expectException(rejectedWith(ErrorCode.TENANT_SUSPENDED))
                .expectNoEvents();
        assertThat(childEvents("d-1")).isEmpty();
    }

    @Test
    void refusesWorkflowCreationWhileSuspended() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new CreateWorkflow(TENANT, "w-1", "flow", Map.of()))
                .expectException(rejectedWith(ErrorCode.TENANT_SUSPENDED))
                .expectNoEvents();
        assertThat(childEvents("w-1")).isEmpty();
    }

    @Test
    void reactivatesASuspendedTenant() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new ReactivateTenant(TENANT))
                .expectEvents(new TenantReactivated(TENANT));
    }

    @Test
    void reactivatingAnActiveTenantChangesNothing() {
        fixture.given(CREATED)
                .when(new ReactivateTenant(TENANT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void acceptsCreationsAgainOnceReactivated() {
        fixture.given(CREATED, new TenantSuspended(TENANT), new TenantReactivated(TENANT))
                .when(new CreateDeployment(TENANT, "d-1", "shop", null))
                .expectEvents(new CreationQuotaConsumed(TENANT, QuotaResource.DEPLOYMENT, "d-1"));
    }

    @Test
    void changesQuotasOfASuspendedTenant() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new ChangeTenantQuotas(TENANT, new TenantQuotas(10, 5)))
                .expectEvents(new TenantQuotasChanged(TENANT, new TenantQuotas(10, 5)));
    }

    @Test
    void offboardsAnActiveTenant() {
        fixture.given(CREATED).when(new OffboardTenant(TENANT)).expectEvents(new TenantOffboarded(TENANT));
    }

    @Test
    void offboardsASuspendedTenant() {
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new OffboardTenant(TENANT))
                .expectEvents(new TenantOffboarded(TENANT));
    }

    @Test
    void refusesCreationOnceOffboarded() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new CreateDeployment(TENANT, "d-1", "shop", null))
                .expectException(rejectedWith(ErrorCode.TENANT_SUSPENDED))
                .expectExceptionMessage("The tenant is offboarded; it accepts no commands")
                .expectNoEvents();
    }

    @Test
    void shredsTheDataKeysOfAnActiveOrSuspendedTenant() {
        fixture.given(CREATED).when(new ShredTenantDataKeys(TENANT)).expectEvents(new TenantDataKeysShredded(TENANT));
        fixture.given(CREATED, new TenantSuspended(TENANT))
                .when(new ShredTenantDataKeys(TENANT))
                .expectEvents(new TenantDataKeysShredded(TENANT));
    }

    @Test
    void refusesShreddingOnceOffboardedWhichShreddedAlready() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new ShredTenantDataKeys(TENANT))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void offboardingIsFinalNoReactivation() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new ReactivateTenant(TENANT))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void offboardingIsFinalNoSuspension() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new SuspendTenant(TENANT))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void offboardingIsFinalNoSecondOffboarding() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new OffboardTenant(TENANT))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void offboardingIsFinalNoQuotaChange() {
        fixture.given(CREATED, new TenantOffboarded(TENANT))
                .when(new ChangeTenantQuotas(TENANT, new TenantQuotas(10, 5)))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void suspendingAnUnknownTenantFailsWithoutProvisioningIt() {
        fixture.givenNoPriorActivity()
                .when(new SuspendTenant(TENANT))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    private List<Object> childEvents(String aggregateId) {
        return children.readEvents(aggregateId)
                .asStream()
                .map(event -> (Object) event.getPayload())
                .toList();
    }

    private static List<Object> consumed(QuotaResource resource, int count) {
        List<Object> history = new ArrayList<>();
        history.add(CREATED);
        for (int i = 1; i <= count; i++) {
            history.add(new CreationQuotaConsumed(TENANT, resource, "r-" + i));
        }
        return history;
    }
}
