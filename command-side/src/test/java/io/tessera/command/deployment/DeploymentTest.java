package io.tessera.command.deployment;

import static io.tessera.command.Rejections.rejectedWith;

import io.tessera.command.CommandRejectedException;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.infra.web.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentTest {

    private static final String TENANT = "acme";
    private static final String ID = "d-1";
    private static final DeploymentCreated CREATED =
            new DeploymentCreated(TENANT, ID, "shop", "https://shop.example.com", DeploymentStatus.PENDING);

    private FixtureConfiguration<Deployment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Deployment.class);
    }

    @Test
    void movesAlongALegalStatusTransition() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.BUILDING, null))
                .expectEvents(
                        new DeploymentStatusChanged(TENANT, ID, DeploymentStatus.PENDING, DeploymentStatus.BUILDING));
    }

    @Test
    void rejectsIllegalStatusTransition() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.ACTIVE, null))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectExceptionMessage("A deployment cannot move from pending to active")
                .expectNoEvents();
    }

    @Test
    void rejectsAnyTransitionOutOfCancelled() {
        fixture.given(
                        CREATED,
                        new DeploymentStatusChanged(TENANT, ID, DeploymentStatus.PENDING, DeploymentStatus.CANCELLED))
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.BUILDING, null))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void allowsRebuildingAFailedDeployment() {
        fixture.given(
                        CREATED,
                        new DeploymentStatusChanged(TENANT, ID, DeploymentStatus.PENDING, DeploymentStatus.FAILED))
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.BUILDING, null))
                .expectEvents(
                        new DeploymentStatusChanged(TENANT, ID, DeploymentStatus.FAILED, DeploymentStatus.BUILDING));
    }

    @Test
    void sameStatusChangesNothing() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.PENDING, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void changesTheUrl() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, null, "https://new.example.com"))
                .expectEvents(new DeploymentUrlChanged(TENANT, ID, "https://new.example.com"));
    }

    @Test
    void rejectsANonHttpUrl() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, null, "ftp://files.example.com"))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void rejectsTheWholeUpdateWhenOnePartIsIllegal() {
        fixture.given(CREATED)
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.ACTIVE, "https://new.example.com"))
                .expectException(CommandRejectedException.class)
                .expectNoEvents();
    }

    @Test
    void answersAnotherTenantAsIfTheDeploymentDidNotExist() {
        fixture.given(CREATED)
                .when(new UpdateDeployment("other", ID, DeploymentStatus.BUILDING, null))
                .expectException(CommandRejectedException.class)
                .expectExceptionMessage("Deployment not found")
                .expectNoEvents();
    }

    @Test
    void deletesWithTheLastStatus() {
        fixture.given(CREATED)
                .when(new DeleteDeployment(TENANT, ID))
                .expectEvents(new DeploymentDeleted(TENANT, ID, DeploymentStatus.PENDING));
    }

    @Test
    void answersADeletedDeploymentAsNotFound() {
        fixture.given(CREATED, new DeploymentDeleted(TENANT, ID, DeploymentStatus.PENDING))
                .when(new UpdateDeployment(TENANT, ID, DeploymentStatus.BUILDING, null))
                .expectException(CommandRejectedException.class)
                .expectExceptionMessage("Deployment not found");
    }

    @Test
    void answersAnotherTenantsDeleteAsNotFound() {
        fixture.given(CREATED)
                .when(new DeleteDeployment("other", ID))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND))
                .expectNoEvents();
    }
}
