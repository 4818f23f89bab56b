package io.tessera.benchmarks.reads;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.system.Api;
import io.tessera.benchmarks.system.Tenants;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The raw limit of an HTTP read: the JDK's own HTTP server on loopback, a fixed pool of threads sharing
 * {@link ReadConnections}, running {@link ReadSql} and writing a small JSON answer. No Spring, no security, no
 * rate limit, no cache: what HTTP plus the API's SQL cost on this machine, beside the real API.
 */
final class BareEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final ReadConnections connections;

    BareEndpoint(ReadConnections connections, int threadCount) throws IOException {
        this.connections = connections;
        threads = Executors.newFixedThreadPool(threadCount);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/raw", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/raw";
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        String body;
        try {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            ReadSql.Key from = query.containsKey("after_id")
                    ? new ReadSql.Key(OffsetDateTime.parse(query.get("after_at")), query.get("after_id"))
                    : null;
            ReadSql.Key next = connections.run(ReadKind.valueOf(query.get("kind")), query.get("tenant"), from);
            body = next == null
                    ? "{\"success\":true}"
                    : "{\"success\":true,\"next_at\":\"" + next.createdAt() + "\",\"next_id\":\"" + next.id() + "\"}";
        } catch (Exception e) {
            status = 500;
            body = "{\"success\":false}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The S1 mix against this endpoint, walks kept like {@link ApiReads}. */
    Call client(Api api, Tenants tenants) {
        Map<Integer, JdbcReads.Walk> walks = new HashMap<>();
        String base = url();
        return () -> {
            int tenant = tenants.skewed();
            ReadKind kind = ReadKind.next();
            JdbcReads.Walk walk = kind == ReadKind.DEEP_PAGE ? walks.remove(tenant) : null;
            String url = base + "?kind=" + kind + "&tenant=" + tenants.id(tenant)
                    + (walk == null
                            ? ""
                            : "&after_at="
                                    + java.net.URLEncoder.encode(
                                            walk.from().createdAt().toString(), StandardCharsets.UTF_8)
                                    + "&after_id=" + walk.from().id());
            HttpResponse<String> response = api.get(url, null);
            if (response.statusCode() != 200) {
                return Call.Outcome.ERROR;
            }
            int depth = walk == null ? 1 : walk.depth() + 1;
            Optional<String> nextId = field(response.body(), "next_id");
            if (kind == ReadKind.DEEP_PAGE && nextId.isPresent() && depth < ReadKind.DEEPEST) {
                walks.put(
                        tenant,
                        new JdbcReads.Walk(
                                new ReadSql.Key(
                                        OffsetDateTime.parse(field(response.body(), "next_at")
                                                .orElseThrow()),
                                        nextId.get()),
                                depth));
            }
            return Call.Outcome.OK;
        };
    }

    private static Optional<String> field(String body, String name) {
        int at = body.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return Optional.empty();
        }
        int start = at + name.length() + 4;
        return Optional.of(body.substring(start, body.indexOf('"', start)));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
