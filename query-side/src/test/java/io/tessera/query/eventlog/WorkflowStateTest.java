package io.tessera.query.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowStateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final List<TypedEvent> HISTORY = List.of(
            new TypedEvent(0, T0, new WorkflowCreated("acme", "wf-1", "nightly", null, WorkflowStatus.DRAFT)),
            new TypedEvent(1, T0.plusSeconds(10), new WorkflowRenamed("acme", "wf-1", "hourly")),
            new TypedEvent(2, T0.plusSeconds(20), new WorkflowConfigChanged("acme", "wf-1", Map.of("retries", 3))),
            new TypedEvent(
                    3,
                    T0.plusSeconds(30),
                    new WorkflowStatusChanged("acme", "wf-1", WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE)),
            new TypedEvent(4, T0.plusSeconds(40), new WorkflowDeleted("acme", "wf-1", WorkflowStatus.ACTIVE)));

    @Test
    void creationWithoutConfigHasAnEmptyOne() {
        assertThat(WorkflowState.asOf(HISTORY, T0))
                .isEqualTo(new WorkflowState("wf-1", "nightly", "draft", Map.of(), T0, T0, false, 0));
    }

    @Test
    void foldsRenameConfigAndStatusUpToTheTime() {
        assertThat(WorkflowState.asOf(HISTORY, T0.plusSeconds(20)))
                .isEqualTo(new WorkflowState(
                        "wf-1", "hourly", "draft", Map.of("retries", 3), T0, T0.plusSeconds(20), false, 2));
        assertThat(WorkflowState.asOf(HISTORY, T0.plusSeconds(35)).status()).isEqualTo("active");
    }

    @Test
    void deletionMarksTheLastState() {
        assertThat(WorkflowState.asOf(HISTORY, Instant.MAX))
                .isEqualTo(new WorkflowState(
                        "wf-1", "hourly", "active", Map.of("retries", 3), T0, T0.plusSeconds(40), true, 4));
    }

    @Test
    void noStateBeforeTheCreation() {
        assertThat(WorkflowState.asOf(HISTORY, T0.minusSeconds(1))).isNull();
    }
}
