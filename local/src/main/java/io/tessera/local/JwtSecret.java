package io.tessera.local;

import io.tessera.infra.security.JwtSettings;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The HS256 secret: {@code TESSERA_JWT_SECRET}, else the one kept in {@code .tessera/jwt-secret}, which the
 * first local run generates so that tokens stay valid across restarts.
 */
record JwtSecret(String value, String origin) {

    static final String VARIABLE = "TESSERA_JWT_SECRET";
    static final String FILE_NAME = "jwt-secret";

    JwtSecret {
        if (value.getBytes(StandardCharsets.UTF_8).length < JwtSettings.MIN_SECRET_BYTES) {
            throw new UsageException(
                    "The JWT secret from " + origin + " must be at least " + JwtSettings.MIN_SECRET_BYTES + " bytes");
        }
    }

    static Optional<JwtSecret> find(Map<String, String> env, Path home) {
        String fromEnvironment = env.get(VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(new JwtSecret(fromEnvironment, VARIABLE));
        }
        Path file = home.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JwtSecret(Files.readString(file).trim(), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    static JwtSecret findOrCreate(Map<String, String> env, Path home) {
        return find(env, home).orElseGet(() -> create(home.resolve(FILE_NAME)));
    }

    /** Signs with this secret, for the issuer the services check where {@code TESSERA_JWT_ISSUER} names one. */
    TokenIssuer tokenIssuer(Map<String, String> env) {
        return new TokenIssuer(value, env.get("TESSERA_JWT_ISSUER"));
    }

    private static JwtSecret create(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file);
            restrictToOwner(file);
            Files.writeString(file, secret + "\n");
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalStateException(file + " appeared while it was being created; start again");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return new JwtSecret(secret, file + ", generated now");
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
