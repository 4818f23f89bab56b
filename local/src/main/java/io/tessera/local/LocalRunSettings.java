package io.tessera.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and on what the local run starts, resolved once. A null {@code externalDatabase} or
 * {@code externalKafka} means: start an embedded one under {@code home} on the given port.
 */
record LocalRunSettings(
        Path home,
        Database externalDatabase,
        String externalKafka,
        int postgresPort,
        int kafkaPort,
        int commandPort,
        int queryPort,
        JwtSecret jwtSecret,
        LocalMasterKey masterKey,
        LocalSigningKey signingKey) {

    static final Path DEFAULT_HOME = Path.of(".tessera");

    record Database(String url, String user, String password) {}

    static LocalRunSettings fromEnvironment(Map<String, String> env, Path home) {
        Database database = present(env, "TESSERA_DB_URL")
                ? new Database(
                        env.get("TESSERA_DB_URL"),
                        env.getOrDefault("TESSERA_DB_USER", "postgres"),
                        env.getOrDefault("TESSERA_DB_PASSWORD", "postgres"))
                : null;
        return new LocalRunSettings(
                home,
                database,
                present(env, "TESSERA_KAFKA_BOOTSTRAP") ? env.get("TESSERA_KAFKA_BOOTSTRAP") : null,
                port(env, "TESSERA_PG_PORT", 5432),
                port(env, "TESSERA_KAFKA_PORT", 9092),
                port(env, "TESSERA_COMMAND_PORT", 8081),
                port(env, "TESSERA_QUERY_PORT", 8082),
                JwtSecret.findOrCreate(env, home),
                LocalMasterKey.findOrCreate(env, home),
                LocalSigningKey.findOrCreate(env, home));
    }

    private static boolean present(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        if (!present(env, name)) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(env.get(name).trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below, with the variable's name.
        }
        throw new UsageException(name + "='" + env.get(name) + "' is not a TCP port (1-65535)");
    }
}
