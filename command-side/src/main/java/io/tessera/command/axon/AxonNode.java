package io.tessera.command.axon;

import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * This instance's name as an owner of token claims. Axon's default (process id @ host) is the same for two
 * command sides in one JVM (tests, benchmarks), which would then both hold every claim at once.
 */
public record AxonNode(String id) {

    static AxonNode unique() {
        return new AxonNode(ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
    }
}
