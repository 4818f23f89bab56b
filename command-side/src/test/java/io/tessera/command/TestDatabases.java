package io.tessera.command;

import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.runtime.LocalPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A database of its own on the shared PostgreSQL, for a test whose command sides must not share the
 * publisher's tokens with the other test contexts of the JVM (they would take part of its segments).
 */
public final class TestDatabases {

    private TestDatabases() {}

    /** The shared infrastructure's Spring properties, pointed at a new, empty database. */
    public static Map<String, String> freshDatabase(String prefix) {
        LocalInfrastructure shared = LocalInfrastructure.shared();
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection =
                        DriverManager.getConnection(shared.jdbcUrl(), shared.dbUser(), shared.dbPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the test database " + name, e);
        }
        String url = shared.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
        // The sides' logins and the owner get their rights in the new database as in the shared one.
        try (Connection connection = DriverManager.getConnection(url, shared.dbUser(), shared.dbPassword())) {
            LocalPostgres.createRoles(connection);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not grant Tessera's roles in the test database " + name, e);
        }
        Map<String, String> properties = new LinkedHashMap<>(shared.springProperties());
        properties.put("spring.datasource.url", url);
        return properties;
    }
}
