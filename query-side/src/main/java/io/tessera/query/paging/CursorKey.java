package io.tessera.query.paging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key that signs cursors: {@code tessera.cursor.secret} if set, else derived from the JWT secret
 * (so every instance sharing the secret accepts every other's cursors), else random per process.
 */
@Configuration(proxyBeanMethods = false)
class CursorKey {

    private static final Logger log = LoggerFactory.getLogger(CursorKey.class);

    @Bean
    CursorCodec cursorCodec(
            @Value("${tessera.cursor.secret:}") String cursorSecret,
            @Value("${tessera.jwt.secret:}") String jwtSecret) {
        if (!cursorSecret.isBlank()) {
            return new CursorCodec(derive("tessera-cursor-key", cursorSecret));
        }
        if (!jwtSecret.isBlank()) {
            return new CursorCodec(derive("tessera-cursor-key-from-jwt", jwtSecret));
        }
        log.info("No tessera.cursor.secret nor shared JWT secret: cursors are signed with a key of this process only");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new CursorCodec(random);
    }

    static byte[] derive(String purpose, String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(purpose.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
