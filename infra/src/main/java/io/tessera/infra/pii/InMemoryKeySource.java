package io.tessera.infra.pii;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/** Keys of this process only, lost at exit: for unit tests and fuzz targets, never for stored data. */
public final class InMemoryKeySource implements KeySource {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, DataKey> keys = new ConcurrentHashMap<>();

    @Override
    public DataKey current(String tenantId) {
        return keys.computeIfAbsent(tenantId, tenant -> {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return new DataKey(tenant, 1, new SecretKeySpec(bytes, "AES"));
        });
    }

    @Override
    public Optional<DataKey> find(String tenantId, int version) {
        return Optional.ofNullable(keys.get(tenantId)).filter(key -> key.version() == version);
    }

    /** Shreds the tenant's key: what it sealed no longer opens, and its pseudonyms change. */
    public void shred(String tenantId) {
        keys.remove(tenantId);
    }
}
