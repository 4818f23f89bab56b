package io.tessera.command.workflow;

import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome.Accepted;
import io.tessera.command.intake.IdempotencyKey;
import io.tessera.command.intake.ResourceCommands;
import io.tessera.events.workflow.CreateWorkflowPayload;
import io.tessera.events.workflow.UpdateWorkflowPayload;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/workflows")
class WorkflowController {

    private final ResourceCommands commands;

    WorkflowController(CommandExecutor executor) {
        this.commands = new ResourceCommands(executor, Workflow.RESOURCE, Permission.WRITE);
    }

    @PostMapping
    ResponseEntity<ApiResponse<Accepted>> create(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @RequestBody CreateWorkflowPayload body) {
        return commands.create(
                tenant,
                idempotencyKey,
                tenantId -> WorkflowRequests.create(tenantId, body),
                CreateWorkflow::workflowId);
    }

    @PatchMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> update(
            RequestTenant tenant,
            IdempotencyKey idempotencyKey,
            @PathVariable String id,
            @RequestBody UpdateWorkflowPayload body) {
        return commands.change(tenant, idempotencyKey, id, tenantId -> WorkflowRequests.update(tenantId, id, body));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> delete(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        return commands.change(tenant, idempotencyKey, id, tenantId -> WorkflowRequests.delete(tenantId, id));
    }
}
