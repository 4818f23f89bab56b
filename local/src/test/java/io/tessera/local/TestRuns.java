package io.tessera.local;

import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.local.LocalRunSettings.Database;
import java.nio.file.Path;
import java.util.Map;

/** Settings of a whole local run for the system tests: the shared embedded infrastructure, free ports. */
final class TestRuns {

    private TestRuns() {}

    static LocalRunSettings onSharedInfrastructure(Path home) {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        return new LocalRunSettings(
                home,
                new Database(infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword()),
                infrastructure.kafkaBootstrap(),
                0,
                0,
                0,
                0,
                JwtSecret.findOrCreate(Map.of(), home),
                new LocalMasterKey(infrastructure.masterKey(), "the test infrastructure"),
                signingKey(infrastructure));
    }

    /** The test infrastructure's key, so that tests can sign events as the command side of the run does. */
    static LocalSigningKey signingKey(LocalInfrastructure infrastructure) {
        Map<String, String> properties = infrastructure.eventSigningProperties();
        return new LocalSigningKey(
                properties.get("tessera.events.signing.key-id"),
                properties.get("tessera.events.signing.private-key"),
                properties.get("tessera.events.public-keys"),
                null,
                "the test infrastructure");
    }
}
