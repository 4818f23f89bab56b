package io.tessera.command.web;

import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome;
import io.tessera.command.intake.RejectionAudit;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiExceptionHandler;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Audits the tenant commands that the HTTP controllers refuse before the executor runs them: a missing
 * role, a body that is no valid command. The answer itself stays {@link ApiExceptionHandler}'s. Rejections
 * the executor decided ({@link CommandOutcome.Rejection}) it already audited. The command type is named by
 * the controller and method ({@code DeploymentController.create} is {@code CreateDeployment}); the resource
 * id is the path's {@code id}. Tenant administration is platform-wide and not audited here.
 */
@RestControllerAdvice(
        basePackages = {"io.tessera.command.deployment", "io.tessera.command.workflow", "io.tessera.command.user"})
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefusedCommandsAudit {

    private final CommandExecutor executor;
    private final ApiExceptionHandler envelope;

    RefusedCommandsAudit(CommandExecutor executor, ApiExceptionHandler envelope) {
        this.executor = executor;
        this.envelope = envelope;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiResponse<Void>> onRefusal(ApiException e, HandlerMethod handler, HttpServletRequest request) {
        if (!(e instanceof CommandOutcome.Rejection)) {
            audit(request, handler, e.code(), describe(e.getMessage(), e.details()));
        }
        return envelope.onApiException(e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiResponse<Void>> onUnreadableBody(
            HttpMessageNotReadableException e, HandlerMethod handler, HttpServletRequest request) {
        audit(
                request,
                handler,
                ErrorCode.VALIDATION_FAILED,
                describe(
                        "The request body is not valid JSON of the expected shape",
                        ApiExceptionHandler.bodyProblems(e.getMostSpecificCause())));
        return envelope.onUnreadableBody(e, request);
    }

    private void audit(HttpServletRequest request, HandlerMethod handler, ErrorCode code, String reason) {
        RequestTenant.current(request)
                .ifPresent(tenant -> executor.auditRefusal(
                        tenant.tenantId(),
                        tenant.caller().subject(),
                        UUID.randomUUID().toString(),
                        refused(handler, request),
                        code,
                        reason));
    }

    static RejectionAudit.Refused refused(HandlerMethod handler, HttpServletRequest request) {
        String resource = handler.getBeanType().getSimpleName().replace("Controller", "");
        String verb = handler.getMethod().getName();
        String type = Character.toUpperCase(verb.charAt(0)) + verb.substring(1) + resource;
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String id = variables instanceof Map<?, ?> map && map.get("id") instanceof String text ? text : null;
        return new RejectionAudit.Refused(type, resource, id);
    }

    private static String describe(String message, List<String> details) {
        return details.isEmpty() ? message : message + ": " + String.join("; ", details);
    }
}
