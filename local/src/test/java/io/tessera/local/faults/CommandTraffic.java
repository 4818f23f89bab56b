package io.tessera.local.faults;

import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A steady multi-tenant command stream over HTTP: each tenant gets a few deployments (its first creation
 * provisions it), then the deployments' URLs change in turn, one event per command. A tenant's commands are
 * sent one after the other by one worker; workers run tenants in parallel. Every answer is counted; the last
 * accepted URL per deployment is the state the read model must end in.
 */
final class CommandTraffic {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String commandSide;
    private final TokenIssuer issuer;
    private final List<String> tenants;
    private final int deploymentsPerTenant;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, List<String>> deployments = new ConcurrentHashMap<>();
    private final Map<String, String> lastUrl = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
    private volatile long highestPosition = -1;

    CommandTraffic(String commandSide, TokenIssuer issuer, String run, int tenantCount, int deploymentsPerTenant) {
        this.commandSide = commandSide;
        this.issuer = issuer;
        this.deploymentsPerTenant = deploymentsPerTenant;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tenantCount; i++) {
            names.add("f-" + run + "-" + i);
        }
        this.tenants = List.copyOf(names);
    }

    List<String> tenants() {
        return tenants;
    }

    Map<String, List<String>> deployments() {
        return deployments;
    }

    /** Deployment id → the URL of its last accepted change (absent: never changed). */
    Map<String, String> lastUrls() {
        return lastUrl;
    }

    int sent() {
        return sent.get();
    }

    int accepted() {
        return accepted.get();
    }

    List<String> refused() {
        return List.copyOf(refused);
    }

    long highestPosition() {
        return highestPosition;
    }

    /** Creates every tenant's deployments (provisioning the tenant with its first one). */
    void setUp(int threads) throws Exception {
        parallel(threads, tenant -> {
            List<String> ids = new ArrayList<>();
            for (int d = 0; d < deploymentsPerTenant; d++) {
                JsonNode answer = send(tenant, "POST", "/api/deployments", Map.of("project_name", "fault-" + d), null);
                if (answer != null) {
                    ids.add(answer.at("/data/id").asString());
                }
            }
            deployments.put(tenant, List.copyOf(ids));
        });
    }

    /**
     * Sends URL changes, {@code threads} tenants at a time, each tenant's one after the other, until
     * {@code stop} says so; returns once every worker has stopped.
     */
    void runUntil(BooleanSupplier stop, int threads) throws Exception {
        parallel(threads, tenant -> {
            List<String> ids = deployments.get(tenant);
            for (int i = 0; !stop.getAsBoolean(); i++) {
                String id = ids.get(i % ids.size());
                String url = "https://example.test/" + tenant + "/" + id + "/" + i;
                if (send(tenant, "PATCH", "/api/deployments/" + id, Map.of("url", url), null) != null) {
                    lastUrl.put(id, url);
                }
            }
        });
    }

    /** Sends about {@code commands} URL changes spread evenly over the tenants. */
    void run(int commands, int threads) throws Exception {
        AtomicInteger left = new AtomicInteger(commands);
        runUntil(() -> left.getAndDecrement() <= 0, threads);
    }

    /** One command; the answer's JSON if it was accepted (202), else null with the refusal kept. */
    JsonNode send(String tenant, String method, String path, Map<String, ?> body, String idempotencyKey) {
        String token = tokens.computeIfAbsent(
                tenant,
                t -> issuer.issue("fault-client", t, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(2)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(commandSide + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        sent.incrementAndGet();
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 202) {
                refused.add(method + " " + path + " -> " + response.statusCode() + " " + response.body());
                return null;
            }
            JsonNode answer = JSON.readTree(response.body());
            long position = answer.at("/data/position").asLong(-1);
            synchronized (this) {
                highestPosition = Math.max(highestPosition, position);
            }
            accepted.incrementAndGet();
            return answer;
        } catch (IOException e) {
            refused.add(method + " " + path + " -> " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface PerTenant {
        void run(String tenant) throws Exception;
    }

    private void parallel(int threads, PerTenant work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tenants.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String tenant : tenants) {
                futures.add(pool.submit(() -> {
                    work.run(tenant);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
