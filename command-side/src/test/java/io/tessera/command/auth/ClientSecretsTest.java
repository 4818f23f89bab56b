package io.tessera.command.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.command.auth.ClientSecrets.Verdict;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

/** Which path each stored form takes, proved by counting the KDF's invocations rather than by measuring time. */
class ClientSecretsTest {

    private final AtomicInteger kdfRuns = new AtomicInteger();
    private final PasswordEncoder pbkdf2 = Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final ClientSecrets secrets = new ClientSecrets(new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            kdfRuns.incrementAndGet();
            return pbkdf2.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            kdfRuns.incrementAndGet();
            return pbkdf2.matches(raw, encoded.substring(ClientSecrets.LEGACY.length()));
        }
    });

    @Test
    void storesASha256DigestAndNeverTheSecret() {
        String secret = Secrets.random256();
        String stored = ClientSecrets.encode(secret);

        assertThat(stored)
                .startsWith("{sha256}")
                .hasSize("{sha256}".length() + 64)
                .doesNotContain(secret);
        assertThat(secrets.verify(secret, stored)).isEqualTo(Verdict.MATCHES);
        assertThat(secrets.verify(secret + "x", stored)).isEqualTo(Verdict.DOES_NOT_MATCH);
        assertThat(kdfRuns).hasValue(0);
    }

    @Test
    void anUnknownClientIsComparedAgainstTheDummyDigestWithoutAnyKdf() {
        for (String presented : new String[] {"", "guess", Secrets.random256()}) {
            assertThat(secrets.verify(presented, null)).isEqualTo(Verdict.DOES_NOT_MATCH);
        }
        assertThat(kdfRuns).hasValue(0);
    }

    @Test
    void aMalformedStoredValueMatchesNothingAndRunsNoKdf() {
        String secret = Secrets.random256();
        for (String stored : new String[] {"", "{sha256}", "{sha256}zz", ClientSecrets.encode(secret) + "0", secret}) {
            assertThat(secrets.verify(secret, stored)).as(stored).isEqualTo(Verdict.DOES_NOT_MATCH);
        }
        assertThat(kdfRuns).hasValue(0);
    }

    @Test
    void aPbkdf2HashOfAnEarlierVersionStillVerifiesOnceForAKnownClient() {
        String secret = Secrets.random256();
        String legacy = ClientSecrets.LEGACY + pbkdf2.encode(secret);

        assertThat(secrets.verify(secret, legacy)).isEqualTo(Verdict.MATCHES_LEGACY);
        assertThat(secrets.verify("wrong", legacy)).isEqualTo(Verdict.DOES_NOT_MATCH);
        assertThat(kdfRuns).hasValue(2);
    }

    @Test
    void theDefaultLegacyEncoderReadsWhatEarlierVersionsStored() {
        String secret = Secrets.random256();
        String stored = ClientSecrets.LEGACY + pbkdf2.encode(secret);

        assertThat(new ClientSecrets().verify(secret, stored)).isEqualTo(Verdict.MATCHES_LEGACY);
    }
}
