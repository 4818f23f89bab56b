package io.tessera.command.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class PerThreadRandomIdentifiersTest {

    @Test
    void axonFindsItThroughTheServiceLoader() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(PerThreadRandomIdentifiers.class);
    }

    @Test
    void identifiersAreVersionFourUuidsWithoutRepeatsAcrossThreads() {
        IdentifierFactory identifiers = new PerThreadRandomIdentifiers();
        Set<String> seen = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 200_000).parallel().forEach(i -> seen.add(identifiers.generateIdentifier()));

        assertThat(seen).hasSize(200_000);
        assertThat(seen).allSatisfy(id -> {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
        });
    }
}
