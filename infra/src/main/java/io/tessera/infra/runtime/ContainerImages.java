package io.tessera.infra.runtime;

/**
 * The images of {@code docker-compose.yml}, which the tests run under Testcontainers too ({@link ContainerServers});
 * a test of the compose file keeps them equal.
 */
public final class ContainerImages {

    public static final String POSTGRES = "postgres:16";
    public static final String KAFKA = "apache/kafka:4.1.2";

    private ContainerImages() {}
}
