package io.tessera.command.publishing;

import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.infra.signing.EventSigner;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.events.signing.*}: the Ed25519 key every published event is signed with. {@code key-id}
 * ({@code TESSERA_EVENTS_SIGNING_KEY_ID}) names it for readers, {@code private-key}
 * ({@code TESSERA_EVENTS_SIGNING_PRIVATE_KEY}) is the base64 of its PKCS#8 encoding. Both are required: the
 * command side does not publish an event that no reader could tell from a forgery.
 */
@ConfigurationProperties("tessera.events.signing")
record SigningSettings(String keyId, String privateKey) {

    EventSigner signer() {
        if (keyId == null || keyId.isBlank() || privateKey == null || privateKey.isBlank()) {
            throw new IllegalStateException("tessera.events.signing.key-id and .private-key"
                    + " (TESSERA_EVENTS_SIGNING_KEY_ID, TESSERA_EVENTS_SIGNING_PRIVATE_KEY) are required:"
                    + " the command side signs every event it publishes");
        }
        try {
            return new EventSigner(keyId.strip(), Ed25519Keys.privateKey(privateKey));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tessera.events.signing.private-key: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "SigningSettings[keyId=" + keyId + "]";
    }
}
