package io.tessera.infra.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The raw-key arithmetic against the JDK's provider: the same signatures, each accepting the other's. */
class Ed25519SignaturesTest {

    @Test
    void signsByteForByteAsTheJdkAndEachVerifiesTheOthers() throws GeneralSecurityException {
        long seed = System.nanoTime();
        System.out.println("Ed25519SignaturesTest seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            KeyPair pair = Ed25519Keys.generate();
            byte[] content = new byte[random.nextInt(2000)];
            random.nextBytes(content);

            byte[] ours = Ed25519Signatures.signingKey(pair.getPrivate()).sign(content);
            Signature jdk = Signature.getInstance(Ed25519Keys.ALGORITHM);
            jdk.initSign(pair.getPrivate());
            jdk.update(content);
            byte[] theirs = jdk.sign();

            assertThat(ours).as("seed %d round %d", seed, round).isEqualTo(theirs);
            jdk.initVerify(pair.getPublic());
            jdk.update(content);
            assertThat(jdk.verify(ours)).isTrue();
            Ed25519Signatures.VerifyingKey verifying = Ed25519Signatures.verifyingKey(pair.getPublic());
            assertThat(verifying.verifies(content, theirs)).isTrue();

            byte[] tampered = content.length == 0 ? new byte[] {1} : content.clone();
            tampered[tampered.length - 1] ^= 1;
            assertThat(verifying.verifies(tampered, theirs)).isFalse();
            assertThat(verifying.verifies(content, new byte[63])).isFalse();
            assertThat(Ed25519Signatures.verifyingKey(Ed25519Keys.generate().getPublic())
                            .verifies(content, theirs))
                    .isFalse();
        }
    }

    @Test
    void refusesKeysOfOtherAlgorithms() throws GeneralSecurityException {
        KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();

        assertThatThrownBy(() -> Ed25519Signatures.signingKey(rsa.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Signatures.verifyingKey(rsa.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
