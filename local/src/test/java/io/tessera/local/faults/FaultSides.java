package io.tessera.local.faults;

import io.tessera.command.CommandSideApplication;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.QuerySideApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the sides of Tessera for the fault tests on the shared embedded PostgreSQL and a Kafka of the test's
 * choosing: in this JVM (a context, as the local run does) or as a child process (that can be SIGKILLed or
 * frozen with {@code kill -STOP}). Every side gets the same JWT secret and master key.
 */
final class FaultSides {

    static final String JWT_SECRET = "fault-suite-jwt-secret-0123456789-abcdefghijklmnop";
    static final TokenIssuer TOKENS = new TokenIssuer(JWT_SECRET, null);

    private FaultSides() {}

    private static List<String> common(String configName, String kafkaBootstrap) {
        LocalInfrastructure shared = LocalInfrastructure.shared();
        return new ArrayList<>(List.of(
                "--spring.config.name=" + configName,
                "--server.port=0",
                "--spring.datasource.url=" + shared.jdbcUrl(),
                "--spring.datasource.username=" + shared.dbUser(),
                "--spring.datasource.password=" + shared.dbPassword(),
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--tessera.jwt.secret=" + JWT_SECRET,
                "--tessera.pii.master-key=" + shared.masterKey(),
                // The traffic is generated on purpose; the limiter is not under test here.
                "--tessera.rate-limit.requests-per-minute=100000000",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                "--logging.register-shutdown-hook=false"));
    }

    static ConfigurableApplicationContext commandSide(String kafkaBootstrap, Map<String, String> extra) {
        return inJvm(CommandSideApplication.class, "command-side", kafkaBootstrap, extra);
    }

    static ConfigurableApplicationContext querySide(String kafkaBootstrap, Map<String, String> extra) {
        return inJvm(QuerySideApplication.class, "query-side", kafkaBootstrap, extra);
    }

    private static ConfigurableApplicationContext inJvm(
            Class<?> application, String configName, String kafkaBootstrap, Map<String, String> extra) {
        List<String> arguments = common(configName, kafkaBootstrap);
        extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .run(arguments.toArray(String[]::new));
    }

    static String url(ConfigurableApplicationContext side) {
        return "http://127.0.0.1:" + side.getEnvironment().getProperty("local.server.port");
    }

    /** A query side as a child process; its output goes to {@code log}. */
    static Process querySideProcess(String kafkaBootstrap, Map<String, String> extra, Path log) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                QuerySideApplication.class.getName()));
        command.addAll(common("query-side", kafkaBootstrap));
        extra.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "query-side-child-cleanup"));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("The query side did not start", e);
        }
    }

    /** {@code kill -<signal> <pid>}: STOP freezes a process (no heartbeat, no commit, sockets open), CONT thaws it. */
    static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Connection database() throws SQLException {
        LocalInfrastructure shared = LocalInfrastructure.shared();
        return DriverManager.getConnection(shared.jdbcUrl(), shared.dbUser(), shared.dbPassword());
    }

    /** The query side's applied position for the tenant, -1 before its first event. */
    static long appliedPosition(String tenant) throws SQLException {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT position FROM query_side.projection_positions WHERE tenant_id = ?")) {
            query.setString(1, tenant);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }
}
