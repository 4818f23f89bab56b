package io.tessera.command.workflow;

import static io.tessera.command.Rejections.rejectedWith;

import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.infra.web.ErrorCode;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkflowTest {

    private static final String TENANT = "acme";
    private static final String ID = "w-1";
    private static final WorkflowCreated CREATED =
            new WorkflowCreated(TENANT, ID, "nightly", Map.of("cron", "0 2 * * *"), WorkflowStatus.DRAFT);

    private FixtureConfiguration<Workflow> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Workflow.class);
    }

    @Test
    void activatesADraft() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, null, WorkflowStatus.ACTIVE, null))
                .expectEvents(new WorkflowStatusChanged(TENANT, ID, WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE));
    }

    @Test
    void rejectsIllegalStatusTransition() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, null, WorkflowStatus.PAUSED, null))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void rejectsAnyTransitionOutOfArchived() {
        fixture.given(CREATED, new WorkflowStatusChanged(TENANT, ID, WorkflowStatus.DRAFT, WorkflowStatus.ARCHIVED))
                .when(new UpdateWorkflow(TENANT, ID, null, WorkflowStatus.ACTIVE, null))
                .expectException(rejectedWith(ErrorCode.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void resumesAPausedWorkflow() {
        fixture.given(
                        CREATED,
                        new WorkflowStatusChanged(TENANT, ID, WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE),
                        new WorkflowStatusChanged(TENANT, ID, WorkflowStatus.ACTIVE, WorkflowStatus.PAUSED))
                .when(new UpdateWorkflow(TENANT, ID, null, WorkflowStatus.ACTIVE, null))
                .expectEvents(new WorkflowStatusChanged(TENANT, ID, WorkflowStatus.PAUSED, WorkflowStatus.ACTIVE));
    }

    @Test
    void renamesAndReconfiguresInOneUpdate() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, "hourly", null, Map.of("cron", "0 * * * *")))
                .expectEvents(
                        new WorkflowRenamed(TENANT, ID, "hourly"),
                        new WorkflowConfigChanged(TENANT, ID, Map.of("cron", "0 * * * *")));
    }

    @Test
    void unchangedValuesProduceNoEvents() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, "nightly", WorkflowStatus.DRAFT, Map.of("cron", "0 2 * * *")))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void rejectsANameLongerThan200Characters() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, "x".repeat(201), null, null))
                .expectException(rejectedWith(ErrorCode.VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void rejectsAConfigLargerThan64Kilobytes() {
        fixture.given(CREATED)
                .when(new UpdateWorkflow(TENANT, ID, null, null, Map.of("blob", "x".repeat(64 * 1024))))
                .expectException(rejectedWith(ErrorCode.VALIDATION_FAILED))
                .expectNoEvents();
    }

    @Test
    void answersAnotherTenantAsIfTheWorkflowDidNotExist() {
        fixture.given(CREATED)
                .when(new DeleteWorkflow("other", ID))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND))
                .expectExceptionMessage("Workflow not found")
                .expectNoEvents();
    }

    @Test
    void deletesWithTheLastStatus() {
        fixture.given(CREATED)
                .when(new DeleteWorkflow(TENANT, ID))
                .expectEvents(new WorkflowDeleted(TENANT, ID, WorkflowStatus.DRAFT));
    }

    @Test
    void answersADeletedWorkflowAsNotFound() {
        fixture.given(CREATED, new WorkflowDeleted(TENANT, ID, WorkflowStatus.DRAFT))
                .when(new UpdateWorkflow(TENANT, ID, "again", null, null))
                .expectException(rejectedWith(ErrorCode.NOT_FOUND));
    }
}
