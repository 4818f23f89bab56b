package io.tessera.events.workflow;

/** What every event of a workflow says: its tenant and the workflow it changes. */
public sealed interface WorkflowEvent
        permits WorkflowCreated, WorkflowStatusChanged, WorkflowRenamed, WorkflowConfigChanged, WorkflowDeleted {

    String tenantId();

    String workflowId();
}
