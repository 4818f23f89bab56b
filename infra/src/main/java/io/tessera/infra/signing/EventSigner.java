package io.tessera.infra.signing;

import java.security.PrivateKey;
import java.util.Base64;

/** The command side's signing key: signs each event once its position is known ({@link EventSignatures}). */
public final class EventSigner {

    private final String keyId;
    private final Ed25519Signatures.SigningKey key;

    public EventSigner(String keyId, PrivateKey key) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("A signing key needs a key id");
        }
        this.keyId = keyId;
        this.key = Ed25519Signatures.signingKey(key);
    }

    public String keyId() {
        return keyId;
    }

    /** The base64 Ed25519 signature of the envelope (its own signature extensions, if any, left out). */
    public String sign(String envelopeJson) {
        return Base64.getEncoder().encodeToString(key.sign(EventSignatures.signedContent(envelopeJson)));
    }

    @Override
    public String toString() {
        return "EventSigner[" + keyId + "]";
    }
}
