package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.signing.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSigningKeyTest {

    @TempDir
    Path home;

    @Test
    void theFirstRunGeneratesTheKeyAndKeepsItPrivate() throws Exception {
        LocalSigningKey first = LocalSigningKey.findOrCreate(Map.of(), home);
        LocalSigningKey again = LocalSigningKey.findOrCreate(Map.of(), home);

        Path file = home.resolve(LocalSigningKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.origin()).endsWith(", generated now");
        assertThat(again.keyId()).isEqualTo(first.keyId()).matches("ed25519-[0-9a-f]{16}");
        assertThat(again.privateKey()).isEqualTo(first.privateKey());
        assertThat(again.publicKeys())
                .isEqualTo(first.keyId() + "=" + again.publicKeys().split("=", 2)[1]);
        assertThat(again.unsignedUntil()).isNull();
        assertThat(again.arguments())
                .contains(
                        "--tessera.events.signing.key-id=" + first.keyId(),
                        "--tessera.events.public-keys=" + first.publicKeys())
                .noneMatch(argument -> argument.startsWith("--tessera.events.unsigned-until"));
        assertThat(again.toString()).doesNotContain(first.privateKey());
    }

    @Test
    void theEnvironmentWinsAndMustBeComplete() {
        KeyPair pair = Ed25519Keys.generate();
        Map<String, String> env = Map.of(
                "TESSERA_EVENTS_SIGNING_KEY_ID",
                "prod-2026",
                "TESSERA_EVENTS_SIGNING_PRIVATE_KEY",
                Ed25519Keys.encode(pair.getPrivate()),
                "TESSERA_EVENTS_PUBLIC_KEYS",
                "prod-2026=" + Ed25519Keys.encode(pair.getPublic()),
                "TESSERA_EVENTS_UNSIGNED_UNTIL",
                "4711");

        LocalSigningKey fromEnvironment = LocalSigningKey.findOrCreate(env, home);

        assertThat(fromEnvironment.keyId()).isEqualTo("prod-2026");
        assertThat(fromEnvironment.arguments()).contains("--tessera.events.unsigned-until=4711");
        assertThat(Files.exists(home.resolve(LocalSigningKey.FILE_NAME))).isFalse();
        assertThatThrownBy(() -> LocalSigningKey.findOrCreate(
                        Map.of("TESSERA_EVENTS_SIGNING_PRIVATE_KEY", Ed25519Keys.encode(pair.getPrivate())), home))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> LocalSigningKey.findOrCreate(
                        Map.of(
                                "TESSERA_EVENTS_SIGNING_KEY_ID", "k",
                                "TESSERA_EVENTS_SIGNING_PRIVATE_KEY", "not-a-key",
                                "TESSERA_EVENTS_PUBLIC_KEYS", "k=" + Ed25519Keys.encode(pair.getPublic())),
                        home))
                .isInstanceOf(UsageException.class);
    }
}
