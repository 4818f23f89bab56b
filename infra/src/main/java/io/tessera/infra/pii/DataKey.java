package io.tessera.infra.pii;

import java.util.Objects;
import javax.crypto.SecretKey;

/** One version of a tenant's AES-256 data key. */
public record DataKey(String tenantId, int version, SecretKey key) {

    public DataKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(key, "key");
        if (version < 1) {
            throw new IllegalArgumentException("Key versions start at 1");
        }
    }

    @Override
    public String toString() {
        return "DataKey[" + tenantId + " v" + version + "]";
    }
}
