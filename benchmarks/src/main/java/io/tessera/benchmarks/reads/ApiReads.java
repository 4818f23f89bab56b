package io.tessera.benchmarks.reads;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.system.Api;
import io.tessera.benchmarks.system.Tenants;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The S1 mix through the query API of one instance, tenants drawn by Zipf. */
public final class ApiReads {

    private ApiReads() {}

    public static Call against(Api api, String base, Tenants tenants) {
        Map<Integer, Walk> walks = new HashMap<>();
        return () -> {
            int tenant = tenants.skewed();
            String token = tenants.viewer(tenant);
            ReadKind kind = ReadKind.next();
            String url = switch (kind) {
                case FIRST_PAGE -> base + "/api/deployments?limit=50";
                case DEEP_PAGE -> {
                    Walk walk = walks.get(tenant);
                    yield base + "/api/deployments?limit=50"
                            + (walk == null ? "" : "&cursor=" + URLEncoder.encode(walk.cursor, StandardCharsets.UTF_8));
                }
                case FILTER ->
                    base + "/api/deployments?status=" + ReadKind.FILTER_STATUS + "&q=" + ReadKind.FILTER_TEXT
                            + "&per_page=50";
                case STATS -> base + "/api/tenants/" + tenants.id(tenant) + "/stats";
            };
            HttpResponse<String> response = api.get(url, token);
            if (response.statusCode() != 200) {
                return Call.Outcome.ERROR;
            }
            if (kind == ReadKind.DEEP_PAGE) {
                Walk walk = walks.remove(tenant);
                int depth = walk == null ? 1 : walk.depth + 1;
                Optional<String> next = Api.cursor(response.body());
                if (depth < ReadKind.DEEPEST && next.isPresent()) {
                    walks.put(tenant, new Walk(next.get(), depth));
                }
            }
            return Call.Outcome.OK;
        };
    }

    private record Walk(String cursor, int depth) {}
}
