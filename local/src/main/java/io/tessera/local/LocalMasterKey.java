package io.tessera.local;

import io.tessera.infra.pii.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The master key that wraps the tenants' data keys: {@code TESSERA_MASTER_KEY}, else the one kept in
 * {@code .tessera/master-key}, which the first local run generates. It must stay with the database it was
 * first used with: another key reads no personal data stored before. Never printed.
 */
record LocalMasterKey(String value, String origin) {

    static final String FILE_NAME = "master-key";

    LocalMasterKey {
        try {
            MasterKey.fromBase64(value);
        } catch (IllegalStateException e) {
            throw new UsageException("The master key from " + origin + ": " + e.getMessage());
        }
    }

    static LocalMasterKey findOrCreate(Map<String, String> env, Path home) {
        String fromEnvironment = env.get(MasterKey.VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new LocalMasterKey(fromEnvironment.trim(), MasterKey.VARIABLE);
        }
        Path file = home.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                return new LocalMasterKey(Files.readString(file).trim(), file.toString());
            }
            String generated = MasterKey.generateBase64();
            Files.createDirectories(home);
            Files.createFile(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, generated + "\n");
            return new LocalMasterKey(generated, file + ", generated now");
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalStateException(file + " appeared while it was being created; start again");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "LocalMasterKey[from " + origin + "]";
    }
}
