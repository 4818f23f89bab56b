package io.tessera.infra.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL and Kafka as containers of the compose file's images ({@link ContainerImages}), for test runs on a
 * machine with a Docker daemon. {@code TESSERA_TEST_INFRA}: {@code testcontainers} insists on them (no daemon, or
 * Testcontainers not on the test classpath, stops the run), {@code embedded} never uses them, unset uses them when
 * a daemon is there and says so when it is not. Testcontainers is an optional dependency of infra: this class is
 * loaded only once containers are chosen.
 */
final class ContainerServers {

    static final String VARIABLE = "TESSERA_TEST_INFRA";

    private ContainerServers() {}

    /** Whether this JVM's infrastructure runs in containers; prints why not when it could have. */
    static boolean chosen() {
        String choice = System.getenv(VARIABLE);
        choice = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        if (choice.equals("embedded")) {
            return false;
        }
        boolean insisted = choice.equals("testcontainers");
        if (!insisted && !choice.isEmpty()) {
            throw new IllegalStateException(VARIABLE + " must be testcontainers or embedded, not '" + choice + "'");
        }
        String missing = !daemonVisible()
                ? "no Docker daemon (neither DOCKER_HOST nor /var/run/docker.sock)"
                : !onClasspath() ? "Testcontainers is not on this module's test classpath" : null;
        if (missing == null) {
            return true;
        }
        if (insisted) {
            throw new IllegalStateException(VARIABLE + "=testcontainers, but " + missing);
        }
        System.out.println("[infra] Testcontainers skipped: " + missing + "; embedded PostgreSQL and Kafka instead");
        return false;
    }

    private static boolean daemonVisible() {
        String host = System.getenv("DOCKER_HOST");
        return (host != null && !host.isBlank()) || Files.exists(Path.of("/var/run/docker.sock"));
    }

    private static boolean onClasspath() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, ContainerServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * A PostgreSQL container with Tessera's roles, trusting every login as the embedded server does (so the
     * embedded server's logins serve); answers its JDBC URL. Stopped at JVM exit (and by Testcontainers' reaper).
     */
    static String startPostgres() throws IOException {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(ContainerImages.POSTGRES))
                .withDatabaseName(LocalPostgres.DATABASE)
                .withUsername(LocalPostgres.USER)
                .withPassword("postgres")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCommand("postgres", "-c", "max_connections=200", "-c", "fsync=off");
        postgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "container-postgres-stop"));
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), LocalPostgres.USER, "")) {
            LocalPostgres.createRoles(connection);
        } catch (SQLException e) {
            throw new IOException("Could not create Tessera's database roles in the container", e);
        }
        System.out.println("[infra] PostgreSQL in a container of " + ContainerImages.POSTGRES);
        return postgres.getJdbcUrl();
    }

    /** A Kafka container (KRaft, one node); answers its bootstrap servers. */
    static String startKafka() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(ContainerImages.KAFKA));
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "container-kafka-stop"));
        System.out.println("[infra] Kafka in a container of " + ContainerImages.KAFKA);
        return kafka.getBootstrapServers();
    }
}
