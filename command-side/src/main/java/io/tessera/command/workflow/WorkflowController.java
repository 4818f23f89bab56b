package io.tessera.command.workflow;

import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome.Accepted;
import io.tessera.command.intake.CommandRequest;
import io.tessera.command.intake.IdempotencyKey;
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

    private final CommandExecutor executor;

    WorkflowController(CommandExecutor executor) {
        this.executor = executor;
    }

    @PostMapping
    ResponseEntity<ApiResponse<Accepted>> create(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @RequestBody CreateWorkflowPayload body) {
        tenant.require(Permission.WRITE);
        CreateWorkflow command = WorkflowRequests.create(tenant.tenantId(), body);
        return run(tenant, idempotencyKey, command.workflowId(), command);
    }

    @PatchMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> update(
            RequestTenant tenant,
            IdempotencyKey idempotencyKey,
            @PathVariable String id,
            @RequestBody UpdateWorkflowPayload body) {
        tenant.require(Permission.WRITE);
        return run(tenant, idempotencyKey, id, WorkflowRequests.update(tenant.tenantId(), id, body));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> delete(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.require(Permission.WRITE);
        return run(tenant, idempotencyKey, id, WorkflowRequests.delete(tenant.tenantId(), id));
    }

    private ResponseEntity<ApiResponse<Accepted>> run(
            RequestTenant tenant, IdempotencyKey idempotencyKey, String id, Object command) {
        return executor.execute(CommandRequest.fromHttp(
                        tenant, tenant.tenantId(), idempotencyKey, Workflow.RESOURCE, id, command))
                .toResponse(tenant.tenantId());
    }
}
