package io.tessera.infra.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** The command side's signing key: signs each event once its position is known ({@link EventSignatures}). */
public final class EventSigner {

    private final String keyId;
    private final PrivateKey key;

    public EventSigner(String keyId, PrivateKey key) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("A signing key needs a key id");
        }
        this.keyId = keyId;
        this.key = key;
    }

    public String keyId() {
        return keyId;
    }

    /** The base64 Ed25519 signature of the envelope (its own signature extensions, if any, left out). */
    public String sign(String envelopeJson) {
        try {
            Signature signature = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signature.initSign(key);
            signature.update(EventSignatures.signedContent(envelopeJson));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing with key " + keyId + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "EventSigner[" + keyId + "]";
    }
}
