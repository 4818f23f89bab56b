package io.tessera.local;

import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.infra.signing.EventKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command side's event signing key and what the query side trusts: {@code TESSERA_EVENTS_SIGNING_KEY_ID},
 * {@code TESSERA_EVENTS_SIGNING_PRIVATE_KEY} and {@code TESSERA_EVENTS_PUBLIC_KEYS} (and
 * {@code TESSERA_EVENTS_UNSIGNED_UNTIL}), else the key kept in {@code .tessera/event-signing-key}, which the first
 * local run that signs generates, as it keeps the JWT secret. A database that already held events then was
 * published unsigned up to its last position: that position is written into the file once, at generation; the
 * query side accepts unsigned events only up to it, and only those the broker held before the query side first
 * started with it (its {@code unsigned_grace}). Never printed but its id.
 */
record LocalSigningKey(String keyId, String privateKey, String publicKeys, Long unsignedUntil, String origin) {

    static final String FILE_NAME = "event-signing-key";

    LocalSigningKey {
        try {
            Ed25519Keys.privateKey(privateKey);
            EventKeys.parse(publicKeys);
        } catch (IllegalArgumentException e) {
            throw new UsageException("The event signing key from " + origin + ": " + e.getMessage());
        }
    }

    static LocalSigningKey findOrCreate(Map<String, String> env, Path home) {
        String privateKey = env.get("TESSERA_EVENTS_SIGNING_PRIVATE_KEY");
        if (privateKey != null && !privateKey.isBlank()) {
            String keyId = env.get("TESSERA_EVENTS_SIGNING_KEY_ID");
            String publicKeys = env.get("TESSERA_EVENTS_PUBLIC_KEYS");
            if (keyId == null || keyId.isBlank() || publicKeys == null || publicKeys.isBlank()) {
                throw new UsageException("TESSERA_EVENTS_SIGNING_PRIVATE_KEY needs TESSERA_EVENTS_SIGNING_KEY_ID and"
                        + " TESSERA_EVENTS_PUBLIC_KEYS (id=base64[,id=base64...]) too");
            }
            String unsigned = env.get("TESSERA_EVENTS_UNSIGNED_UNTIL");
            return new LocalSigningKey(
                    keyId.strip(),
                    privateKey.strip(),
                    publicKeys.strip(),
                    unsigned == null || unsigned.isBlank() ? null : position(unsigned, "TESSERA_EVENTS_UNSIGNED_UNTIL"),
                    "the environment");
        }
        Path file = home.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? read(file) : create(file);
    }

    /** The sides' settings: the signing key for the command side, the trust for the query side. */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "--tessera.events.signing.key-id=" + keyId,
                "--tessera.events.signing.private-key=" + privateKey,
                "--tessera.events.public-keys=" + publicKeys));
        if (unsignedUntil != null) {
            arguments.add("--tessera.events.unsigned-until=" + unsignedUntil);
        }
        return arguments;
    }

    /**
     * Right after generation, with the database up and no side started yet: a database that already holds events
     * was published unsigned up to its last position; that position is recorded once, with the key.
     */
    LocalSigningKey recordUpgrade(LocalRunSettings.Database database) {
        if (!origin.endsWith(", generated now") || unsignedUntil != null) {
            return this;
        }
        long lastPosition = lastStoredPosition(database);
        if (lastPosition <= 0) {
            return this;
        }
        Path file = Path.of(origin.substring(0, origin.length() - ", generated now".length()));
        try (Writer writer = Files.newBufferedWriter(file, java.nio.file.StandardOpenOption.APPEND)) {
            writer.write("unsigned-until=" + lastPosition + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return new LocalSigningKey(keyId, privateKey, publicKeys, lastPosition, origin);
    }

    private static long lastStoredPosition(LocalRunSettings.Database database) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
                ResultSet exists = connection
                        .createStatement()
                        .executeQuery("SELECT to_regclass('command_side.domain_event_entry') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
            try (ResultSet last = connection
                    .createStatement()
                    .executeQuery("SELECT coalesce(max(global_index), 0) FROM command_side.domain_event_entry")) {
                last.next();
                return last.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the event store's last position: " + e.getMessage(), e);
        }
    }

    private static LocalSigningKey read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        String keyId = properties.getProperty("key-id", "");
        String unsigned = properties.getProperty("unsigned-until");
        return new LocalSigningKey(
                keyId,
                properties.getProperty("private-key", ""),
                keyId + "=" + properties.getProperty("public-key", ""),
                unsigned == null ? null : position(unsigned, file + ": unsigned-until"),
                file.toString());
    }

    private static LocalSigningKey create(Path file) {
        KeyPair pair = Ed25519Keys.generate();
        String keyId = Ed25519Keys.keyIdOf(pair.getPublic());
        String privateKey = Ed25519Keys.encode(pair.getPrivate());
        String publicKey = Ed25519Keys.encode(pair.getPublic());
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(
                    file,
                    "# The command side's Ed25519 event signing key (base64 PKCS#8 / X.509); keep it private.\n"
                            + "key-id=" + keyId + "\nprivate-key=" + privateKey + "\npublic-key=" + publicKey + "\n");
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalStateException(file + " appeared while it was being created; start again");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return new LocalSigningKey(keyId, privateKey, keyId + "=" + publicKey, null, file + ", generated now");
    }

    private static long position(String text, String source) {
        try {
            long position = Long.parseLong(text.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below.
        }
        throw new UsageException(source + " is a position, a whole number from 0 on, not '" + text + "'");
    }

    @Override
    public String toString() {
        return "LocalSigningKey[" + keyId + " from " + origin + "]";
    }
}
