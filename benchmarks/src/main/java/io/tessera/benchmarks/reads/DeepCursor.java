package io.tessera.benchmarks.reads;

import io.tessera.benchmarks.load.Recording;
import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.system.Api;
import io.tessera.benchmarks.system.BenchSystem;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keyset pagination's promise: the 20th page of a cursor walk costs what the first costs. Walks the first tenants'
 * deployments on the uncached query side (the cache would answer every page from memory), one walk after another,
 * with pages sized so that 20 of them exist, and compares the p95 of the 20th page with the first's.
 */
final class DeepCursor {

    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final int TENANTS = 10;
    private static final int WALKS_PER_TENANT = 5;

    private DeepCursor() {}

    static void measure(BenchSystem system, Results results) throws Exception {
        Api api = system.api();
        String base = system.uncachedQueryUrl() + "/api/deployments";
        int tenants = Math.min(TENANTS, system.tenants().count());
        long total =
                total(api.get(base + "?per_page=1", system.tenants().viewer(0)).body());
        int pageSize = (int) Math.max(1, Math.min(50, total / ReadKind.DEEPEST));
        Recording first = new Recording("deep cursor: first page, cache off");
        Recording deepest = new Recording("deep cursor: page " + ReadKind.DEEPEST + ", cache off");
        for (int walk = 0; walk < WALKS_PER_TENANT; walk++) {
            for (int tenant = 0; tenant < tenants; tenant++) {
                walk(api, base, system.tenants().viewer(tenant), pageSize, first, deepest);
            }
        }
        results.add("S1", first, 1);
        results.add("S1", deepest, 1);
        double firstP95 = first.count() == 0 ? Double.NaN : first.millisAt(95);
        double deepestP95 = deepest.count() == 0 ? Double.NaN : deepest.millisAt(95);
        results.ratio(
                "S1 deep cursor p95, page " + ReadKind.DEEPEST + " / first page",
                deepestP95 / firstP95,
                String.format(
                        Locale.ROOT,
                        "cache off, %d-row pages, %d walks over %d tenants: %.1f / %.1f ms (keyset pagination: ~1)",
                        pageSize,
                        WALKS_PER_TENANT * tenants,
                        tenants,
                        deepestP95,
                        firstP95));
    }

    private static void walk(Api api, String base, String token, int pageSize, Recording first, Recording deepest)
            throws Exception {
        String cursor = null;
        for (int page = 1; page <= ReadKind.DEEPEST; page++) {
            String url = base + "?limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            long start = System.nanoTime();
            HttpResponse<String> response = api.get(url, token);
            long took = System.nanoTime() - start;
            Recording measured = page == 1 ? first : page == ReadKind.DEEPEST ? deepest : null;
            if (response.statusCode() != 200) {
                if (measured != null) {
                    measured.error();
                }
                return;
            }
            if (measured != null) {
                measured.recordNanos(took);
            }
            Optional<String> next = Api.cursor(response.body());
            if (next.isEmpty()) {
                return;
            }
            cursor = next.get();
        }
    }

    private static long total(String body) {
        Matcher total = TOTAL.matcher(body);
        return total.find() ? Long.parseLong(total.group(1)) : 0;
    }
}
