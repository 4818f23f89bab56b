package io.tessera.command.auth;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

/**
 * How a client secret is kept: {@code {sha256}<hex>}, its SHA-256. A secret is 256 server-generated random bits,
 * so a slow KDF would add nothing against guessing and cost CPU on every request, unauthenticated ones included.
 * Digests are compared in constant time; an unknown client is compared against a dummy digest the same way.
 * Secrets stored by earlier versions as PBKDF2 still verify (only for a client that exists), and are rewritten as
 * a digest on their first successful use.
 */
final class ClientSecrets {

    enum Verdict {
        MATCHES,
        /** Matches a PBKDF2 hash of an earlier version: store {@link #encode(String)} in its place. */
        MATCHES_LEGACY,
        DOES_NOT_MATCH
    }

    static final String DIGEST = "{sha256}";
    static final String LEGACY = "{pbkdf2@SpringSecurity_v5_8}";

    private static final byte[] DUMMY_DIGEST = Secrets.sha256(Secrets.random256());

    private final PasswordEncoder legacy;

    ClientSecrets() {
        this(new DelegatingPasswordEncoder(
                "pbkdf2@SpringSecurity_v5_8",
                Map.of("pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8())));
    }

    /** {@code legacy}: the encoder of the PBKDF2 hashes stored before digests. */
    ClientSecrets(PasswordEncoder legacy) {
        this.legacy = legacy;
    }

    static String encode(String secret) {
        return DIGEST + HexFormat.of().formatHex(Secrets.sha256(secret));
    }

    /** {@code stored} null: the client is unknown (or revoked), and the answer is {@code DOES_NOT_MATCH}. */
    Verdict verify(String secret, String stored) {
        byte[] presented = Secrets.sha256(secret);
        if (stored != null && stored.startsWith(LEGACY)) {
            return legacy.matches(secret, stored) ? Verdict.MATCHES_LEGACY : Verdict.DOES_NOT_MATCH;
        }
        byte[] expected = digestOf(stored);
        boolean equal = MessageDigest.isEqual(presented, expected == null ? DUMMY_DIGEST : expected);
        return equal && expected != null ? Verdict.MATCHES : Verdict.DOES_NOT_MATCH;
    }

    private static byte[] digestOf(String stored) {
        if (stored == null || !stored.startsWith(DIGEST) || stored.length() != DIGEST.length() + 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(stored, DIGEST.length(), stored.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
