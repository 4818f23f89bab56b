package io.tessera.infra.signing;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) signing and verification over the raw keys inside the JDK's key objects, with Bouncy Castle's
 * arithmetic: the JDK 17 provider's costs about a millisecond of CPU per signature or verification, eight times as
 * much, and every event is signed once and verified once by each query side. Ed25519 is deterministic, so the
 * signatures are byte for byte the JDK's ({@code Ed25519SignaturesTest}); keys are still read by the JDK.
 */
final class Ed25519Signatures {

    /** A SubjectPublicKeyInfo of an Ed25519 key is this fixed header and the 32 bytes of the key. */
    private static final int PUBLIC_KEY_INFO_LENGTH = 12 + Ed25519.PUBLIC_KEY_SIZE;

    private Ed25519Signatures() {}

    /** A private key and its public key, as the signing arithmetic wants them. */
    static final class SigningKey {

        private final byte[] seed;
        private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];

        private SigningKey(byte[] seed) {
            this.seed = seed;
            Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        }

        byte[] sign(byte[] content) {
            byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seed, 0, publicKey, 0, content, 0, content.length, signature, 0);
            return signature;
        }
    }

    /** A public key decoded once: its point is checked and kept, not decoded again for each signature. */
    static final class VerifyingKey {

        private final Ed25519.PublicPoint point;

        private VerifyingKey(Ed25519.PublicPoint point) {
            this.point = point;
        }

        boolean verifies(byte[] content, byte[] signature) {
            return signature.length == Ed25519.SIGNATURE_SIZE
                    && Ed25519.verify(signature, 0, point, content, 0, content.length);
        }
    }

    static SigningKey signingKey(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey edKey)
                || !Ed25519Keys.ALGORITHM.equalsIgnoreCase(edKey.getParams().getName())) {
            throw new IllegalArgumentException("Not an Ed25519 private key");
        }
        byte[] seed = edKey.getBytes()
                .filter(bytes -> bytes.length == Ed25519.SECRET_KEY_SIZE)
                .orElseThrow(() -> new IllegalArgumentException("An Ed25519 private key without its 32 bytes"));
        return new SigningKey(seed);
    }

    static VerifyingKey verifyingKey(PublicKey key) {
        if (!(key instanceof EdECPublicKey edKey)
                || !Ed25519Keys.ALGORITHM.equalsIgnoreCase(edKey.getParams().getName())) {
            throw new IllegalArgumentException("Not an Ed25519 public key");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != PUBLIC_KEY_INFO_LENGTH) {
            throw new IllegalArgumentException("Not an Ed25519 public key");
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(
                Arrays.copyOfRange(encoded, encoded.length - Ed25519.PUBLIC_KEY_SIZE, encoded.length), 0);
        if (point == null) {
            throw new IllegalArgumentException("Not a valid Ed25519 public key");
        }
        return new VerifyingKey(point);
    }
}
