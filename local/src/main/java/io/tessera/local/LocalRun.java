package io.tessera.local;

import io.tessera.command.CommandSideApplication;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.runtime.LocalKafka;
import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.local.LocalRunSettings.Database;
import io.tessera.query.QuerySideApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system in this JVM: PostgreSQL and Kafka (embedded unless external ones are set), then the
 * command side and the query side as two Spring contexts, each with its own config file. {@link #close()}
 * stops them in reverse: the contexts, then Kafka, then PostgreSQL, whose server is a separate process.
 */
final class LocalRun implements AutoCloseable {

    private final LocalRunSettings settings;
    private final Consumer<String> notices;
    private final Deque<Started> running = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database database;
    private LocalSigningKey signingKey;
    private String kafkaBootstrap;
    private ConfigurableApplicationContext commandSide;
    private ConfigurableApplicationContext querySide;

    private record Started(String name, AutoCloseable resource) {}

    LocalRun(LocalRunSettings settings, Consumer<String> notices) {
        this.settings = settings;
        this.notices = notices;
    }

    LocalRun start() {
        Ports.requireFree(settings.commandPort(), "command side", "TESSERA_COMMAND_PORT");
        Ports.requireFree(settings.queryPort(), "query side", "TESSERA_QUERY_PORT");
        database = embeddedPostgres() ? startPostgres() : settings.externalDatabase();
        kafkaBootstrap = embeddedKafka() ? startKafka() : settings.externalKafka();
        signingKey = settings.signingKey().recordUpgrade(database);
        commandSide = startSide(
                "the command side",
                CommandSideApplication.class,
                CommandSideApplication.CONFIG_NAMES,
                settings.commandPort());
        querySide = startSide(
                "the query side", QuerySideApplication.class, QuerySideApplication.CONFIG_NAMES, settings.queryPort());
        return this;
    }

    private Database startPostgres() {
        int port = Ports.preferredOrFree(settings.postgresPort(), "PostgreSQL", notices);
        notices.accept("Starting PostgreSQL...");
        try {
            LocalPostgres postgres =
                    track("PostgreSQL", LocalPostgres.start(settings.home().resolve("postgres"), port, false));
            return new Database(postgres.jdbcUrl(), LocalPostgres.USER, "");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "PostgreSQL did not start on " + settings.home().resolve("postgres"), e);
        }
    }

    private String startKafka() {
        int port = Ports.preferredOrFree(settings.kafkaPort(), "Kafka", notices);
        notices.accept("Starting Kafka...");
        try {
            return track("Kafka", LocalKafka.start(settings.home().resolve("kafka"), port))
                    .bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start", e);
        }
    }

    /** The command side's context, for tests that reach inside (its routes, its beans). */
    ConfigurableApplicationContext commandSideContext() {
        return commandSide;
    }

    /** The query side's context, for tests that reach inside (its pool, its beans). */
    ConfigurableApplicationContext querySideContext() {
        return querySide;
    }

    private ConfigurableApplicationContext startSide(String name, Class<?> application, String configNames, int port) {
        notices.accept("Starting " + name + "...");
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.config.name=" + configNames,
                "--server.port=" + port,
                "--spring.datasource.url=" + database.url(),
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--tessera.jwt.secret=" + settings.jwtSecret().value(),
                "--tessera.pii.master-key=" + settings.masterKey().value(),
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                "--logging.register-shutdown-hook=false"));
        // Each side logs in as its own role: the embedded server's, or those TESSERA_DB_USER and
        // TESSERA_DB_OWNER_USER name, which the sides read themselves.
        if (embeddedPostgres()) {
            LocalInfrastructure.embeddedLogins().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        }
        arguments.addAll(signingKey.arguments());
        return track(
                name,
                new SpringApplicationBuilder(application)
                        .registerShutdownHook(false)
                        .run(arguments.toArray(String[]::new)));
    }

    private <T extends AutoCloseable> T track(String name, T resource) {
        Started started = new Started(name, resource);
        running.push(started);
        if (closed.get()) {
            if (running.remove(started)) {
                stop(started);
            }
            throw new IllegalStateException("Stopped while starting");
        }
        return resource;
    }

    boolean embeddedPostgres() {
        return settings.externalDatabase() == null;
    }

    boolean embeddedKafka() {
        return settings.externalKafka() == null;
    }

    Database database() {
        return database;
    }

    String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    String commandSideUrl() {
        return "http://localhost:" + portOf(commandSide, settings.commandPort());
    }

    String querySideUrl() {
        return "http://localhost:" + portOf(querySide, settings.queryPort());
    }

    private static int portOf(ConfigurableApplicationContext context, int configured) {
        return context.getEnvironment().getProperty("local.server.port", Integer.class, configured);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Started started = running.poll(); started != null; started = running.poll()) {
            stop(started);
        }
    }

    private void stop(Started started) {
        try {
            started.resource().close();
            notices.accept("Stopped " + started.name() + ".");
        } catch (Exception e) {
            notices.accept("Stopping " + started.name() + " failed: " + e);
        }
    }
}
