package io.tessera.benchmarks;

import io.tessera.command.CommandSideApplication;
import io.tessera.events.user.Role;
import io.tessera.infra.pii.MasterKey;
import io.tessera.infra.runtime.LocalKafka;
import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.QuerySideApplication;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole system (embedded PostgreSQL and Kafka in throwaway directories, both sides on free
 * ports), seeds tenants and deployments, and measures the command path, the list query over HTTP against
 * the same SQL through plain JDBC, and the command-to-query latency. See benchmarks/README.md.
 */
public final class Benchmarks {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
    private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");
    private static final String COLUMNS = "tenant_id, id, project_name, status, url, created_at, updated_at, version";
    /** Creations per tenant left to the command path and the end-to-end samples (default quota: 100 an hour). */
    private static final int COMMANDS_PER_TENANT = 80;

    private static final int E2E_PER_TENANT = 15;

    private final Options options;
    private final List<String> report = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private String jdbcUrl;
    private String commandUrl;
    private String queryUrl;
    private String queryNoCacheUrl;
    private ConfigurableApplicationContext queryContext;
    /** The query-side instances reads go to, round robin: one, then two for the scale-out comparison. */
    private volatile List<String> queryUrls = List.of();

    private String secret;
    private String kafkaBootstrap;
    private String[] tenants;
    private String[] viewerTokens;
    private String[] editorTokens;
    private double[] zipfCdf;
    private TokenIssuer tokenIssuer;
    private String masterKey;

    private Benchmarks(Options options) {
        this.options = options;
    }

    private static final String LOGGING = "tessera-benchmarks-logback.xml";

    public static void main(String[] args) {
        // Before any logger exists: the embedded servers log early, Spring reads logging.config later.
        System.setProperty("logback.configurationFile", LOGGING);
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        Benchmarks benchmarks = new Benchmarks(options);
        try {
            benchmarks.run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            benchmarks.stop();
        }
        System.exit(status);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        line("Tessera benchmarks  " + OffsetDateTime.now(ZoneOffset.UTC).withNano(0) + "  "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version()
                + (options.quick() ? "  (--quick)" : ""));
        line(String.format(
                Locale.ROOT,
                "tenants %d, deployments/tenant %d, readers %d, per scenario <= %d requests or %d s, page size %d,"
                        + " Zipf s=%.2f",
                options.tenants(),
                options.deployments(),
                options.threads(),
                options.requests(),
                options.limit().toSeconds(),
                options.pageSize(),
                options.zipfExponent()));
        startSystem();
        line(String.format(Locale.ROOT, "system started in %.1f s", seconds(System.nanoTime() - started)));
        prepareTenants();

        line("");
        line("== Seeding ==");
        Latencies tenantCreation = createTenants();
        Latencies creations = createDeploymentsThroughCommands();
        bulkLoad();

        line("");
        line("== Command side (HTTP, concurrency " + options.commandConcurrency() + ") ==");
        line(Latencies.header());
        line(tenantCreation.row());
        line(creations.row());

        line("");
        line("== Reads: GET /api/deployments over HTTP vs the same SQL over plain JDBC (" + options.threads()
                + " threads) ==");
        warmUp();
        line(Latencies.header());
        Latencies apiPageUniform = measure("api page   uniform", () -> apiPage(false));
        Latencies apiPageZipf = measure("api page   zipf", () -> apiPage(true));
        Latencies apiCursorUniform = measure("api cursor uniform", () -> apiCursor(false));
        Latencies apiCursorZipf = measure("api cursor zipf", () -> apiCursor(true));
        Latencies rawKeysetUniform = measure("raw keyset uniform", () -> rawKeyset(false, false));
        Latencies rawKeysetZipf = measure("raw keyset zipf", () -> rawKeyset(true, false));
        Latencies rawPageUniform = measure("raw offset uniform", () -> rawPage(false));
        Latencies rawAsApi = measure("raw as-api (tx+role+count) uniform", () -> rawKeyset(false, true));

        line("");
        line("== Ratios API / raw (p50, p95, p99) ==");
        ratio("api cursor uniform / raw keyset uniform", apiCursorUniform, rawKeysetUniform);
        ratio("api cursor zipf    / raw keyset zipf", apiCursorZipf, rawKeysetZipf);
        ratio("api page uniform   / raw offset uniform", apiPageUniform, rawPageUniform);
        ratio("api cursor uniform / raw as-api uniform", apiCursorUniform, rawAsApi);
        ratio("raw as-api         / raw keyset (uniform)", rawAsApi, rawKeysetUniform);

        line("");
        line("== Query cache: dashboard mix, tenant and page (1..20) both Zipf s=" + options.zipfExponent() + ", over "
                + options.tenants() + " tenants ==");
        progress("warming both instances with the same mix...");
        Duration warmupLimit = Duration.ofSeconds(Math.max(5, options.limit().toSeconds()));
        loop("warmup", options.threads(), options.warmup(), warmupLimit, () -> dashboard(queryUrl));
        loop("warmup", options.threads(), options.warmup(), warmupLimit, () -> dashboard(queryNoCacheUrl));
        line("(after an unrecorded warm-up of the same mix on each instance, <= " + options.warmup() + " requests or "
                + warmupLimit.toSeconds() + " s; TTL 30 s, so the hit rate depends on requests per TTL)");
        line(Latencies.header());
        CacheCounts before = cacheCounts();
        Latencies cached = measure("zipf mix, cache on", () -> dashboard(queryUrl));
        CacheCounts after = cacheCounts();
        Latencies uncached = measure("zipf mix, cache off (2nd instance)", () -> dashboard(queryNoCacheUrl));
        long hits = after.hits() - before.hits();
        long misses = after.misses() - before.misses();
        line(String.format(
                Locale.ROOT,
                "cache hit rate (deployments cache, during 'cache on'): %.1f %% (%d hits, %d misses)",
                100.0 * hits / Math.max(1, hits + misses),
                hits,
                misses));
        ratio("cache off / cache on", uncached, cached);

        line("");
        line("== Rate limiter alone: one token per call, same PostgreSQL, " + options.threads() + " threads ==");
        line(Latencies.header());
        try (LimiterBench limiters = new LimiterBench(jdbcUrl, LocalPostgres.USER, tenants.length)) {
            for (LimiterBench.Variant variant : LimiterBench.Variant.values()) {
                for (boolean hot : new boolean[] {false, true}) {
                    measure(variant.label + (hot ? " hot" : " uniform"), () -> limiters.call(variant, hot));
                }
            }
        }

        line("");
        line("== Scale-out: the same reads on 1, then 2 query-side instances (one JVM, one database, round robin) ==");
        line(Latencies.header());
        Latencies oneInstance = measure("api page uniform, 1 query side", () -> apiPage(false));
        progress("starting a second query side...");
        queryUrls = List.of(queryUrl, url(startSide(QuerySideApplication.class, "query-side", secret, kafkaBootstrap)));
        loop("warmup", options.threads(), Math.max(1, options.warmup() / 4), options.limit(), () -> apiPage(false));
        Latencies twoInstances = measure("api page uniform, 2 query sides", () -> apiPage(false));
        ratio("2 query sides / 1 query side", twoInstances, oneInstance);
        queryUrls = List.of(queryUrl);

        line("");
        line("== End to end: 202 on the command side -> row visible on the query side (sequential) ==");
        endToEnd();

        line("");
        line(String.format(Locale.ROOT, "total run time %.1f s", seconds(System.nanoTime() - started)));
        writeResults();
    }

    // ---------------------------------------------------------------- system

    private void startSystem() throws IOException {
        progress("starting PostgreSQL, Kafka and both sides...");
        LocalPostgres postgres = LocalPostgres.start(null, 0, false);
        running.add(postgres);
        jdbcUrl = postgres.jdbcUrl();
        Path kafkaDir = Files.createTempDirectory("tessera-bench-kafka");
        LocalKafka kafka = LocalKafka.start(kafkaDir, 0);
        running.add(() -> deleteQuietly(kafkaDir));
        running.add(kafka);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        masterKey = MasterKey.generateBase64();
        commandUrl = url(startSide(CommandSideApplication.class, "command-side", secret, kafka.bootstrapServers()));
        queryContext = startSide(QuerySideApplication.class, "query-side", secret, kafka.bootstrapServers());
        queryUrl = url(queryContext);
        // A second query side on the same read tables with the cache off: p95 with and without, one run.
        queryNoCacheUrl = url(startSide(
                QuerySideApplication.class,
                "query-side",
                secret,
                kafka.bootstrapServers(),
                "--tessera.cache.enabled=false"));
        queryUrls = List.of(queryUrl);
        this.secret = secret;
        this.kafkaBootstrap = kafka.bootstrapServers();
        tokenIssuer = new TokenIssuer(secret, null);
    }

    private ConfigurableApplicationContext startSide(
            Class<?> application, String configName, String secret, String kafka, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.config.name=" + configName,
                "--server.port=0",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + LocalPostgres.USER,
                "--spring.datasource.password=",
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--tessera.jwt.secret=" + secret,
                "--tessera.pii.master-key=" + masterKey,
                // The benchmark measures latency, not the per-tenant rate limit (1000/min by default).
                "--tessera.rate-limit.requests-per-minute=100000000",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                "--logging.register-shutdown-hook=false",
                "--logging.config=classpath:" + LOGGING));
        arguments.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .run(arguments.toArray(String[]::new));
        running.add(context);
        return context;
    }

    private static String url(ConfigurableApplicationContext context) {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return "http://127.0.0.1:" + port;
    }

    private void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping failed: " + e);
            }
        }
        running.clear();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a throwaway directory
        }
    }

    private void prepareTenants() {
        int n = options.tenants();
        String run = Long.toString(System.currentTimeMillis() % 100000, 36);
        tenants = new String[n];
        viewerTokens = new String[n];
        editorTokens = new String[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = String.format(Locale.ROOT, "bench-%s-%04d", run, i);
            viewerTokens[i] = tokenIssuer.issue(
                    "bench-viewer", tenants[i], Set.of(Role.VIEWER), Set.of(), false, Duration.ofHours(2));
            editorTokens[i] = tokenIssuer.issue(
                    "bench-editor", tenants[i], Set.of(Role.EDITOR), Set.of(), false, Duration.ofHours(2));
        }
        zipfCdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, options.zipfExponent());
            zipfCdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            zipfCdf[k] /= sum;
        }
    }

    private int tenant(boolean zipf) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!zipf) {
            return random.nextInt(tenants.length);
        }
        int at = Arrays.binarySearch(zipfCdf, random.nextDouble());
        return Math.min(tenants.length - 1, at >= 0 ? at : -at - 1);
    }

    // ---------------------------------------------------------------- seeding

    private Latencies createTenants() throws InterruptedException {
        String admin = tokenIssuer.issue("bench-admin", "platform", Set.of(), Set.of(), true, Duration.ofHours(2));
        AtomicInteger next = new AtomicInteger();
        progress("creating " + tenants.length + " tenants...");
        return loop("POST /api/tenants", options.commandConcurrency(), tenants.length, Duration.ofMinutes(2), () -> {
            int i = next.getAndIncrement();
            String body =
                    "{\"id\":\"" + tenants[i] + "\",\"name\":\"" + tenants[i] + "\",\"slug\":\"" + tenants[i] + "\"}";
            return () -> send(post(commandUrl + "/api/tenants", admin, body)).statusCode() == 202;
        });
    }

    /** Tasks are handed out one by one: {@code task} makes the next call. */
    private Latencies createDeploymentsThroughCommands() throws Exception {
        int commands = Math.min(options.commands(), options.tenants() * COMMANDS_PER_TENANT);
        if (commands < options.commands()) {
            line("note: --commands capped at " + commands + " (" + COMMANDS_PER_TENANT
                    + " a tenant: the default quota is 100 creations per tenant and hour)");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong lastAccepted = new AtomicLong();
        AtomicInteger accepted = new AtomicInteger();
        progress("creating " + commands + " deployments through POST /api/deployments...");
        Latencies creations =
                loop("POST /api/deployments", options.commandConcurrency(), commands, Duration.ofMinutes(3), () -> {
                    int i = next.getAndIncrement();
                    int t = i % tenants.length;
                    String body = "{\"project_name\":\"cmd-" + i + "\",\"url\":\"https://cmd-" + i + ".example\"}";
                    return () -> {
                        HttpResponse<String> response =
                                send(post(commandUrl + "/api/deployments", editorTokens[t], body));
                        if (response.statusCode() != 202) {
                            return false;
                        }
                        accepted.incrementAndGet();
                        lastAccepted.accumulateAndGet(System.nanoTime(), Math::max);
                        return true;
                    };
                });
        // How long the query side needs to show them all once the last one was accepted.
        try (Connection db = connect()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            long visible;
            do {
                visible = countDeployments(db);
                if (visible >= accepted.get()) {
                    break;
                }
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            double drain = seconds(System.nanoTime() - lastAccepted.get());
            line(String.format(
                    Locale.ROOT,
                    "command path: %d creations accepted in %.1f s (%.0f/s); all %d visible in the read model %.2f s"
                            + " after the last 202",
                    accepted.get(),
                    seconds(creations.wallNanos()),
                    creations.perSecond(),
                    visible,
                    drain));
        }
        return creations;
    }

    private long countDeployments(Connection db) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT count(*) FROM query_side.deployments WHERE tenant_id LIKE 'bench-%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void bulkLoad() throws SQLException {
        long started = System.nanoTime();
        long inserted = 0;
        progress("bulk-loading the read model...");
        try (Connection db = connect()) {
            Map<String, Integer> existing = new HashMap<>();
            try (Statement statement = db.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT tenant_id, count(*) FROM query_side.deployments GROUP BY tenant_id")) {
                while (rs.next()) {
                    existing.put(rs.getString(1), rs.getInt(2));
                }
            }
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO query_side.deployments (" + COLUMNS
                    + ") SELECT ?, gen_random_uuid()::text, 'bulk-project-' || g,"
                    + " (ARRAY['pending','building','active','failed','cancelled'])[1 + g % 5],"
                    + " 'https://bulk-' || g || '.example', ts, ts, 1"
                    + " FROM (SELECT g, now() - make_interval(secs => g * 60.0 + random() * 59) AS ts"
                    + " FROM generate_series(1, ?) g) s")) {
                for (String tenant : tenants) {
                    int missing = options.deployments() - existing.getOrDefault(tenant, 0);
                    if (missing > 0) {
                        insert.setString(1, tenant);
                        insert.setInt(2, missing);
                        inserted += insert.executeUpdate();
                    }
                }
            }
            db.commit();
            db.setAutoCommit(true);
            try (Statement statement = db.createStatement()) {
                statement.execute("VACUUM ANALYZE query_side.deployments");
            }
            long total = countDeployments(db);
            line(String.format(
                    Locale.ROOT,
                    "BULK LOAD: %d deployment rows written DIRECTLY into query_side.deployments (not through the"
                            + " command API, no events, no event_log/tenant_stats rows) in %.1f s, then VACUUM"
                            + " ANALYZE; read model now holds %d benchmark deployments (%d tenants x %d)",
                    inserted,
                    seconds(System.nanoTime() - started),
                    total,
                    tenants.length,
                    options.deployments()));
        }
    }

    // ---------------------------------------------------------------- reads

    private void warmUp() throws InterruptedException {
        progress("warming up...");
        int each = Math.max(1, options.warmup() / 4);
        Duration limit = Duration.ofSeconds(Math.max(5, options.limit().toSeconds() / 2));
        loop("warmup", options.threads(), each, limit, () -> apiPage(false));
        loop("warmup", options.threads(), each, limit, () -> apiCursor(true));
        loop("warmup", options.threads(), each, limit, () -> rawKeyset(false, false));
        loop("warmup", options.threads(), each, limit, () -> rawPage(false));
    }

    /** A call returns whether it succeeded; one is made per thread and reused (it may keep state). */
    interface Call extends AutoCloseable {
        boolean call() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    private Latencies measure(String name, Supplier<Call> perThread) throws InterruptedException {
        progress(name + "...");
        Latencies result = loop(name, options.threads(), options.requests(), options.limit(), perThread);
        line(result.row());
        return result;
    }

    /** GET /api/deployments?page=p&per_page=50 for a random tenant and one of its first 20 pages. */
    private Call apiPage(boolean zipf) {
        int pages = Math.max(1, Math.min(20, options.deployments() / options.pageSize()));
        return () -> {
            int t = tenant(zipf);
            int page = 1 + ThreadLocalRandom.current().nextInt(pages);
            List<String> urls = queryUrls;
            String url = urls.get(ThreadLocalRandom.current().nextInt(urls.size()));
            HttpResponse<String> response = send(
                    get(url + "/api/deployments?page=" + page + "&per_page=" + options.pageSize(), viewerTokens[t]));
            return response.statusCode() == 200;
        };
    }

    /** A dashboard: a Zipf-chosen tenant looks at a Zipf-chosen page of its first 20 (page 1 the most). */
    private Call dashboard(String base) {
        int pages = Math.max(1, Math.min(20, options.deployments() / options.pageSize()));
        return () -> {
            int t = tenant(true);
            int page = 1 + zipf(pages);
            HttpResponse<String> response = send(
                    get(base + "/api/deployments?page=" + page + "&per_page=" + options.pageSize(), viewerTokens[t]));
            return response.statusCode() == 200;
        };
    }

    private int zipf(int n) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, options.zipfExponent());
            cdf[k] = sum;
        }
        double u = ThreadLocalRandom.current().nextDouble() * sum;
        int at = Arrays.binarySearch(cdf, u);
        return Math.min(n - 1, at >= 0 ? at : -at - 1);
    }

    private record CacheCounts(long hits, long misses) {}

    private CacheCounts cacheCounts() {
        io.micrometer.core.instrument.MeterRegistry meters =
                queryContext.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        return new CacheCounts(
                (long) meters.get("cache.gets")
                        .tags("cache", "deployments", "result", "hit")
                        .functionCounter()
                        .count(),
                (long) meters.get("cache.gets")
                        .tags("cache", "deployments", "result", "miss")
                        .functionCounter()
                        .count());
    }

    /**
     * GET /api/deployments?limit=50, then the next cursor of that tenant, up to 20 pages deep: each thread
     * walks the tenants it picks like a client paging through them.
     */
    private Call apiCursor(boolean zipf) {
        Map<Integer, String> cursors = new HashMap<>();
        Map<Integer, Integer> depth = new HashMap<>();
        return () -> {
            int t = tenant(zipf);
            String cursor = cursors.remove(t);
            String url = queryUrl + "/api/deployments?limit=" + options.pageSize()
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = send(get(url, viewerTokens[t]));
            if (response.statusCode() != 200) {
                return false;
            }
            int d = cursor == null ? 1 : depth.getOrDefault(t, 0) + 1;
            Matcher next = CURSOR.matcher(response.body());
            if (d < 20 && next.find()) {
                cursors.put(t, next.group(1));
                depth.put(t, d);
            } else {
                depth.remove(t);
            }
            return true;
        };
    }

    private record Key(OffsetDateTime createdAt, String id) {}

    private record Row(
            String tenantId,
            String id,
            String projectName,
            String status,
            String url,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            long version) {}

    /**
     * The API's keyset query through plain JDBC, walking tenants as {@link #apiCursor} does. With
     * {@code asApi}, wrapped as the query side runs it: a read-only transaction, SET LOCAL ROLE, the
     * tenant setting, the count, then the page.
     */
    private Call rawKeyset(boolean zipf, boolean asApi) {
        Connection db = connectUnchecked();
        Map<Integer, Key> keys = new HashMap<>();
        Map<Integer, Integer> depth = new HashMap<>();
        String where = "tenant_id = ? AND deleted_at IS NULL";
        String order = " ORDER BY created_at DESC, id DESC LIMIT ?";
        try {
            PreparedStatement first =
                    db.prepareStatement("SELECT " + COLUMNS + " FROM query_side.deployments WHERE " + where + order);
            PreparedStatement after = db.prepareStatement("SELECT " + COLUMNS + " FROM query_side.deployments WHERE "
                    + where + " AND created_at <= ? AND (created_at < ? OR id < ?)" + order);
            PreparedStatement count = db.prepareStatement("SELECT count(*) FROM query_side.deployments WHERE " + where);
            PreparedStatement setting = db.prepareStatement("SELECT set_config('tessera.tenant_id', ?, true)");
            Statement plain = db.createStatement();
            return new Call() {
                @Override
                public boolean call() throws Exception {
                    int t = tenant(zipf);
                    String tenant = tenants[t];
                    if (asApi) {
                        db.setAutoCommit(false);
                        db.setReadOnly(true);
                        plain.execute("SET LOCAL ROLE tessera_query_api");
                        setting.setString(1, tenant);
                        setting.executeQuery().close();
                        count.setString(1, tenant);
                        try (ResultSet rs = count.executeQuery()) {
                            rs.next();
                            rs.getLong(1);
                        }
                    }
                    Key key = keys.remove(t);
                    PreparedStatement page = key == null ? first : after;
                    page.setString(1, tenant);
                    if (key != null) {
                        page.setObject(2, key.createdAt());
                        page.setObject(3, key.createdAt());
                        page.setString(4, key.id());
                        page.setInt(5, options.pageSize() + 1);
                    } else {
                        page.setInt(2, options.pageSize() + 1);
                    }
                    List<Row> rows = new ArrayList<>(options.pageSize() + 1);
                    try (ResultSet rs = page.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getObject(6, OffsetDateTime.class),
                                    rs.getObject(7, OffsetDateTime.class),
                                    rs.getLong(8)));
                        }
                    }
                    if (asApi) {
                        db.commit();
                        db.setReadOnly(false);
                        db.setAutoCommit(true);
                    }
                    int d = key == null ? 1 : depth.getOrDefault(t, 0) + 1;
                    if (rows.size() > options.pageSize() && d < 20) {
                        Row last = rows.get(options.pageSize() - 1);
                        keys.put(t, new Key(last.createdAt(), last.id()));
                        depth.put(t, d);
                    } else {
                        depth.remove(t);
                    }
                    return true;
                }

                @Override
                public void close() throws SQLException {
                    db.close();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API's page-mode query (LIMIT 50 OFFSET (p-1)*50, one of the first 20 pages) through plain JDBC. */
    private Call rawPage(boolean zipf) {
        Connection db = connectUnchecked();
        int pages = Math.max(1, Math.min(20, options.deployments() / options.pageSize()));
        try {
            PreparedStatement page = db.prepareStatement("SELECT " + COLUMNS
                    + " FROM query_side.deployments WHERE tenant_id = ? AND deleted_at IS NULL"
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
            return new Call() {
                @Override
                public boolean call() throws Exception {
                    page.setString(1, tenants[tenant(zipf)]);
                    page.setInt(2, options.pageSize());
                    page.setInt(3, ThreadLocalRandom.current().nextInt(pages) * options.pageSize());
                    int n = 0;
                    try (ResultSet rs = page.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(2);
                            rs.getObject(6, OffsetDateTime.class);
                            n++;
                        }
                    }
                    return n > 0;
                }

                @Override
                public void close() throws SQLException {
                    db.close();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ratio(String label, Latencies api, Latencies raw) {
        line(String.format(
                Locale.ROOT,
                "%-44s %6.1fx %6.1fx %6.1fx",
                label,
                api.at(50) / raw.at(50),
                api.at(95) / raw.at(95),
                api.at(99) / raw.at(99)));
    }

    // ---------------------------------------------------------------- end to end

    private void endToEnd() throws Exception {
        int samples = Math.min(options.e2eSamples(), tenants.length * E2E_PER_TENANT);
        Latencies accepted = new Latencies("POST -> 202");
        Latencies visible = new Latencies("202 -> visible (X-Min-Position)");
        Latencies total = new Latencies("POST sent -> visible");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long started = System.nanoTime();
        progress("end to end, " + samples + " samples...");
        for (int i = 0; i < samples && System.nanoTime() < deadline; i++) {
            int t = (i * 7) % tenants.length;
            String body = "{\"project_name\":\"e2e-" + i + "\"}";
            long sent = System.nanoTime();
            HttpResponse<String> response = send(post(commandUrl + "/api/deployments", editorTokens[t], body));
            long acceptedAt = System.nanoTime();
            if (response.statusCode() != 202) {
                accepted.error();
                continue;
            }
            accepted.recordNanos(acceptedAt - sent);
            Matcher id = ID.matcher(response.body());
            Matcher position = POSITION.matcher(response.body());
            if (!id.find() || !position.find()) {
                visible.error();
                continue;
            }
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                HttpResponse<String> found =
                        send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/deployments/" + id.group(1)))
                                .header("Authorization", "Bearer " + viewerTokens[t])
                                .header("X-Min-Position", position.group(1))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build());
                seen = found.statusCode() == 200;
                if (!seen && found.statusCode() != 503) {
                    Thread.sleep(5);
                }
            }
            long visibleAt = System.nanoTime();
            if (seen) {
                visible.recordNanos(visibleAt - acceptedAt);
                total.recordNanos(visibleAt - sent);
            } else {
                visible.error();
            }
        }
        long wall = System.nanoTime() - started;
        accepted.finish(wall, "count");
        visible.finish(0, "");
        total.finish(0, "");
        line(Latencies.header());
        line(accepted.row());
        line(visible.row());
        line(total.row());
        line("(visible = one GET /api/deployments/{id} with X-Min-Position that the query side holds until the"
                + " tenant's read model reached the 202's position; includes that GET's own round trip)");
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs {@code count} calls on {@code threads} threads, each made by a {@link Call} from {@code perThread},
     * stopping early at {@code limit}.
     */
    private Latencies loop(String name, int threads, int count, Duration limit, Supplier<Call> perThread)
            throws InterruptedException {
        Latencies result = new Latencies(name);
        AtomicInteger remaining = new AtomicInteger(count);
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        boolean handOut = name.startsWith("POST");
        for (int w = 0; w < threads; w++) {
            pool.execute(() -> {
                Call call = handOut ? null : perThread.get();
                try {
                    while (System.nanoTime() < deadline && remaining.getAndDecrement() > 0) {
                        Call current = handOut ? perThread.get() : call;
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = current.call();
                        } catch (Exception e) {
                            ok = false;
                        }
                        if (ok) {
                            result.recordNanos(System.nanoTime() - t0);
                        } else {
                            result.error();
                        }
                    }
                } finally {
                    if (call != null) {
                        try {
                            call.close();
                        } catch (Exception ignored) {
                            // a benchmark connection
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(limit.toNanos() + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
        long wall = System.nanoTime() - started;
        result.finish(wall, remaining.get() > 0 ? "time (" + limit.toSeconds() + " s)" : "count");
        return result;
    }

    private HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
    }

    private HttpRequest post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "");
    }

    private Connection connectUnchecked() {
        try {
            return connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private void line(String text) {
        report.add(text);
        System.out.println(text);
        System.out.flush();
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }

    private void writeResults() throws IOException {
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        System.out.println("results written to " + out);
    }
}
