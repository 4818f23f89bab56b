package io.tessera.infra.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PiiCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static DataKey key(String tenant, int version) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new DataKey(tenant, version, new SecretKeySpec(bytes, "AES"));
    }

    private final DataKey acme = key("acme", 1);

    @Test
    void sealsIntoAnEnvelopeThatOpensWithTheSameKeyTenantAndField() {
        String envelope = PiiCipher.seal(acme, "email", "ann@acme.example");

        assertThat(envelope).startsWith("pii:v1:1:").doesNotContain("ann").doesNotContain("acme.example");
        assertThat(PiiCipher.keyVersionOf(envelope)).contains(1);
        assertThat(PiiCipher.open(acme, "email", envelope)).isEqualTo("ann@acme.example");
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        assertThat(PiiCipher.seal(acme, "email", "ann@acme.example"))
                .isNotEqualTo(PiiCipher.seal(acme, "email", "ann@acme.example"));
    }

    @Test
    void refusesATamperedEnvelope() {
        String envelope = PiiCipher.seal(acme, "email", "ann@acme.example");
        String prefix = "pii:v1:1:";
        byte[] bytes = Base64.getUrlDecoder().decode(envelope.substring(prefix.length()));
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String edited = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> PiiCipher.open(acme, "email", edited))
                    .as("byte %d flipped", i)
                    .isInstanceOf(UnreadablePiiException.class);
        }
        assertThatThrownBy(() -> PiiCipher.open(acme, "email", envelope.substring(0, envelope.length() - 4)))
                .isInstanceOf(UnreadablePiiException.class);
        assertThatThrownBy(() -> PiiCipher.open(acme, "email", prefix + "AAAA"))
                .isInstanceOf(UnreadablePiiException.class);
    }

    @Test
    void refusesAnEnvelopeMovedToAnotherTenantEvenUnderTheSameKeyBytes() {
        String envelope = PiiCipher.seal(acme, "email", "ann@acme.example");
        DataKey sameBytesOtherTenant = new DataKey("globex", 1, acme.key());

        assertThatThrownBy(() -> PiiCipher.open(sameBytesOtherTenant, "email", envelope))
                .isInstanceOf(UnreadablePiiException.class);
    }

    @Test
    void refusesAnEnvelopeMovedToAnotherField() {
        String envelope = PiiCipher.seal(acme, "email", "ann@acme.example");

        assertThatThrownBy(() -> PiiCipher.open(acme, "name", envelope)).isInstanceOf(UnreadablePiiException.class);
    }

    @Test
    void refusesTheWrongKeyAndAnotherKeyVersion() {
        String envelope = PiiCipher.seal(acme, "email", "ann@acme.example");

        assertThatThrownBy(() -> PiiCipher.open(key("acme", 1), "email", envelope))
                .isInstanceOf(UnreadablePiiException.class);
        assertThatThrownBy(() -> PiiCipher.open(new DataKey("acme", 2, acme.key()), "email", envelope))
                .isInstanceOf(UnreadablePiiException.class);
    }

    @Test
    void tellsEnvelopesFromPlainValues() {
        assertThat(PiiCipher.isEnvelope("ann@acme.example")).isFalse();
        assertThat(PiiCipher.isEnvelope(null)).isFalse();
        assertThat(PiiCipher.keyVersionOf("pii:v1:x:AAAA")).isEmpty();
        assertThat(PiiCipher.keyVersionOf("pii:v1:0:AAAA")).isEmpty();
    }

    @Test
    void theVaultRevealsPlainValuesAsTheyAreAndShreddedOnesAsNull() {
        Map<String, DataKey> keys = new HashMap<>();
        KeySource source = new KeySource() {
            @Override
            public DataKey current(String tenantId) {
                return keys.computeIfAbsent(tenantId, t -> key(t, 1));
            }

            @Override
            public Optional<DataKey> find(String tenantId, int version) {
                return Optional.ofNullable(keys.get(tenantId)).filter(k -> k.version() == version);
            }
        };
        PiiVault vault = new PiiVault(source);
        String sealed = vault.seal("acme", "email", "ann@acme.example");

        assertThat(vault.reveal("acme", "email", sealed)).isEqualTo("ann@acme.example");
        assertThat(vault.reveal("acme", "email", "legacy@acme.example")).isEqualTo("legacy@acme.example");
        assertThat(vault.reveal("globex", "email", sealed)).isNull();
        assertThat(vault.reveal("acme", "email", "pii:v1:1:garbage")).isNull();
        assertThat(vault.seal("acme", "email", null)).isNull();

        UUID pseudonym = vault.pseudonym("acme", "user", "ann@acme.example");
        assertThat(vault.pseudonym("acme", "user", "ann@acme.example")).isEqualTo(pseudonym);
        assertThat(pseudonym.version()).isEqualTo(8);
        assertThat(vault.pseudonym("globex", "user", "ann@acme.example")).isNotEqualTo(pseudonym);
        assertThat(vault.pseudonym("acme", "user", "bob@acme.example")).isNotEqualTo(pseudonym);

        keys.remove("acme");
        assertThat(vault.reveal("acme", "email", sealed)).isNull();
        assertThat(vault.pseudonym("acme", "user", "ann@acme.example")).isNotEqualTo(pseudonym);
    }

    @Test
    void theMasterKeyMustBeThirtyTwoBytesOfBase64AndIsNeverPrinted() {
        assertThatThrownBy(() -> MasterKey.fromBase64("")).hasMessageContaining("TESSERA_MASTER_KEY");
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        String value = MasterKey.generateBase64();
        MasterKey master = MasterKey.fromBase64(value);
        assertThat(master.toString()).doesNotContain(value).contains(master.id());
        assertThat(MasterKey.fromBase64(value).id()).isEqualTo(master.id());
    }

    @Test
    void aWrappedDataKeyUnwrapsOnlyForItsTenantVersionAndMasterKey() {
        MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());
        byte[] data = new byte[32];
        RANDOM.nextBytes(data);
        byte[] wrapped = master.wrap("acme", 1, data);

        assertThat(master.unwrap("acme", 1, wrapped)).isEqualTo(data);
        assertThatThrownBy(() -> master.unwrap("globex", 1, wrapped)).isInstanceOf(UnreadablePiiException.class);
        assertThatThrownBy(() -> master.unwrap("acme", 2, wrapped)).isInstanceOf(UnreadablePiiException.class);
        assertThatThrownBy(
                        () -> MasterKey.fromBase64(MasterKey.generateBase64()).unwrap("acme", 1, wrapped))
                .isInstanceOf(UnreadablePiiException.class);
    }
}
