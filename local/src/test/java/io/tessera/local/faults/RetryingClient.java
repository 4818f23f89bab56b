package io.tessera.local.faults;

import io.tessera.local.faults.FaultSystem.Answer;
import java.time.Duration;
import java.util.UUID;

/**
 * A careful upstream client: every logical command gets one {@code Idempotency-Key}; an ambiguous
 * outcome (no answer, or a 5xx) is retried with the same key until a definite answer (2xx or 4xx) or the
 * deadline. The ledger counts what was sent, what came back, and the retries.
 */
final class RetryingClient {

    private final FaultSystem system;
    private final Ledger ledger;
    private final Duration patience;

    RetryingClient(FaultSystem system, Ledger ledger, Duration patience) {
        this.system = system;
        this.ledger = ledger;
        this.patience = patience;
    }

    /** Creates a deployment named by its key; the ledger learns the id if it is accepted. */
    Answer createDeployment(String tenant, String token) {
        String key = UUID.randomUUID().toString();
        String name = "fault-" + key;
        Answer answer = send(tenant, token, "POST", "/api/deployments", java.util.Map.of("project_name", name), key);
        if (answer.status() == 202) {
            ledger.created(tenant, answer.id(), name);
        }
        return answer;
    }

    Answer changeStatus(String tenant, String token, String deploymentId, String status) {
        Answer answer = send(
                tenant,
                token,
                "PATCH",
                "/api/deployments/" + deploymentId,
                java.util.Map.of("status", status),
                UUID.randomUUID().toString());
        if (answer.status() == 202) {
            ledger.changed(tenant, deploymentId, status);
        }
        return answer;
    }

    void uncertain(String tenant, String deploymentId) {
        ledger.uncertain(tenant, deploymentId);
    }

    Answer send(String tenant, String token, String method, String path, Object body, String key) {
        ledger.sent(tenant);
        long deadline = System.nanoTime() + patience.toNanos();
        Answer answer;
        int attempt = 0;
        while (true) {
            answer = system.call(system.commandSide.url(), method, path, token, body, key);
            if (!answer.ambiguous()) {
                break;
            }
            if (answer.status() >= 500) {
                ledger.serverError(tenant, answer);
            }
            if (System.nanoTime() > deadline) {
                ledger.unresolved(tenant);
                return answer;
            }
            ledger.retried(tenant);
            Pause.lasting(Duration.ofMillis(Math.min(2000, 100L << Math.min(attempt++, 5))));
        }
        if (answer.status() / 100 == 2) {
            ledger.accepted(tenant);
        } else {
            ledger.rejected(tenant, answer);
        }
        return answer;
    }
}
