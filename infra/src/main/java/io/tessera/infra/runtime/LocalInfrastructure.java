package io.tessera.infra.runtime;

import io.tessera.infra.pii.MasterKey;
import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.infra.signing.EventSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL and Kafka for one JVM: the external ones named by {@code TESSERA_DB_URL} /
 * {@code TESSERA_KAFKA_BOOTSTRAP}, else containers of the compose file's images where a Docker daemon is
 * ({@link ContainerServers}, {@code TESSERA_TEST_INFRA}), else embedded real servers; started once and stopped at
 * JVM exit.
 */
public final class LocalInfrastructure {

    private static LocalInfrastructure shared;

    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final boolean embeddedDatabase;
    private final String kafkaBootstrap;
    private final String masterKey;
    /** The command side's event signing key of this JVM's runs, its public half the query side's trust. */
    private final KeyPair eventSigningKey = Ed25519Keys.generate();

    private LocalInfrastructure(
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            boolean embeddedDatabase,
            String kafkaBootstrap,
            String masterKey) {
        this.jdbcUrl = jdbcUrl;
        this.embeddedDatabase = embeddedDatabase;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.kafkaBootstrap = kafkaBootstrap;
        this.masterKey = masterKey;
    }

    public static synchronized LocalInfrastructure shared() {
        if (shared == null) {
            shared = startFromEnvironment();
        }
        return shared;
    }

    private static LocalInfrastructure startFromEnvironment() {
        try {
            String dbUrl = System.getenv("TESSERA_DB_URL");
            String user = envOr("TESSERA_DB_ADMIN_USER", envOr("TESSERA_DB_USER", LocalPostgres.USER));
            String password = envOr("TESSERA_DB_ADMIN_PASSWORD", envOr("TESSERA_DB_PASSWORD", ""));
            boolean embedded = dbUrl == null || dbUrl.isBlank();
            String bootstrap = System.getenv("TESSERA_KAFKA_BOOTSTRAP");
            boolean embeddedKafka = bootstrap == null || bootstrap.isBlank();
            boolean containers = (embedded || embeddedKafka) && ContainerServers.chosen();
            // An external database outlives this JVM, and so do the data keys it holds: they need the same
            // master key next time. An embedded one (or a container) is new, and so may be the key.
            String masterKey = envOr(MasterKey.VARIABLE, TEST_MASTER_KEY);
            if (embedded) {
                masterKey = envOr(MasterKey.VARIABLE, MasterKey.generateBase64());
                if (containers) {
                    dbUrl = ContainerServers.startPostgres();
                } else {
                    LocalPostgres postgres = LocalPostgres.start(null, 0);
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(() -> closeQuietly(postgres), "local-postgres-stop"));
                    dbUrl = postgres.jdbcUrl();
                }
                user = LocalPostgres.USER;
                password = "";
            }
            if (embeddedKafka && containers) {
                bootstrap = ContainerServers.startKafka();
            } else if (embeddedKafka) {
                LocalKafka kafka = LocalKafka.start(null, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "local-kafka-stop"));
                bootstrap = kafka.bootstrapServers();
            }
            return new LocalInfrastructure(dbUrl, user, password, embedded, bootstrap, masterKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the local infrastructure", e);
        }
    }

    /** For tests on an external database only: fixed, public, and never for real data. */
    private static final String TEST_MASTER_KEY = "dGVzc2VyYS10ZXN0LW1hc3Rlci1rZXktbm90LXNlY3I=";

    /** The logins of the embedded server's roles, for both sides (each reads its own); it trusts local logins. */
    public static Map<String, String> embeddedLogins() {
        Map<String, String> logins = new LinkedHashMap<>();
        logins.put("tessera.db.command-user", LocalPostgres.COMMAND_LOGIN);
        logins.put("tessera.db.command-password", "");
        logins.put("tessera.db.query-user", LocalPostgres.QUERY_LOGIN);
        logins.put("tessera.db.query-password", "");
        logins.put("tessera.db.owner-user", LocalPostgres.OWNER);
        logins.put("tessera.db.owner-password", "");
        return logins;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // The JVM is exiting; nothing left to tell.
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * A login that sees every row, for tests that set up or inspect the database: the embedded server's
     * superuser, or {@code TESSERA_DB_ADMIN_USER} (else {@code TESSERA_DB_USER}) of an external one. The
     * applications never log in as it ({@link #springProperties()}).
     */
    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The master key of the data keys this infrastructure's database holds (base64). */
    public String masterKey() {
        return masterKey;
    }

    public String eventSigningKeyId() {
        return Ed25519Keys.keyIdOf(eventSigningKey.getPublic());
    }

    /** Signs as the command sides of this infrastructure do, for tests that publish events themselves. */
    public EventSigner eventSigner() {
        return new EventSigner(eventSigningKeyId(), eventSigningKey.getPrivate());
    }

    /** The signing key and its public half, as the sides take them ({@code tessera.events.*}). */
    public Map<String, String> eventSigningProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("tessera.events.signing.key-id", eventSigningKeyId());
        properties.put("tessera.events.signing.private-key", Ed25519Keys.encode(eventSigningKey.getPrivate()));
        properties.put(
                "tessera.events.public-keys",
                eventSigningKeyId() + "=" + Ed25519Keys.encode(eventSigningKey.getPublic()));
        return properties;
    }

    /**
     * The Spring properties that point an application at this infrastructure: on the embedded server each side
     * logs in as its own role and migrates as the owner; an external database's logins come from the variables
     * the sides read themselves ({@code TESSERA_DB_USER}, {@code TESSERA_DB_OWNER_USER}, ...).
     */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl);
        if (embeddedDatabase) {
            properties.putAll(embeddedLogins());
        }
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrap);
        properties.put("tessera.pii.master-key", masterKey);
        properties.putAll(eventSigningProperties());
        return properties;
    }
}
