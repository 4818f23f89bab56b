package io.tessera.command.workflow;

import io.tessera.command.intake.KafkaCommandType;
import io.tessera.command.intake.KafkaCommandType.Decoded;
import io.tessera.command.intake.KafkaCommands;
import io.tessera.events.workflow.CreateWorkflowPayload;
import io.tessera.events.workflow.UpdateWorkflowPayload;
import java.util.List;
import org.springframework.stereotype.Component;

/** The workflow commands as they arrive on {@code tessera.commands}, made as the HTTP routes make them. */
@Component
public class WorkflowKafkaCommands implements KafkaCommands {

    @Override
    public List<KafkaCommandType> types() {
        return List.of(
                new KafkaCommandType("CreateWorkflow", Workflow.RESOURCE, (tenantId, payload) -> {
                    CreateWorkflow command = WorkflowRequests.create(tenantId, payload.as(CreateWorkflowPayload.class));
                    return new Decoded(command.workflowId(), command);
                }),
                new KafkaCommandType(
                        "UpdateWorkflow",
                        Workflow.RESOURCE,
                        (tenantId, payload) -> new Decoded(
                                payload.id(),
                                WorkflowRequests.update(
                                        tenantId, payload.id(), payload.as(UpdateWorkflowPayload.class)))),
                new KafkaCommandType(
                        "DeleteWorkflow",
                        Workflow.RESOURCE,
                        (tenantId, payload) ->
                                new Decoded(payload.id(), WorkflowRequests.delete(tenantId, payload.id()))));
    }
}
