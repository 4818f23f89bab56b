package io.tessera.command.axon;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;

/**
 * Random (version 4) UUIDs for Axon's message and event identifiers, each thread drawing from its own strong
 * generator. Axon's default, {@link UUID#randomUUID()}, draws from one {@code SecureRandom} shared by the whole
 * JVM, whose lock every command, event and token message passes: under load command threads queued on it
 * (a JFR recording of the benchmark, benchmarks/README.md). Registered through {@code META-INF/services}, which
 * is how Axon finds its {@link IdentifierFactory}.
 */
public final class PerThreadRandomIdentifiers extends IdentifierFactory {

    private static final ThreadLocal<SecureRandom> GENERATOR =
            ThreadLocal.withInitial(PerThreadRandomIdentifiers::newGenerator);

    @Override
    public String generateIdentifier() {
        byte[] bytes = new byte[16];
        GENERATOR.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4: random
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // the RFC 4122 variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
