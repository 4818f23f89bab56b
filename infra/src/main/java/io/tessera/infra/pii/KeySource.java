package io.tessera.infra.pii;

import java.util.Optional;

/** Where {@link PiiVault} gets a tenant's data keys: {@link DataKeys} in PostgreSQL, or a map in tests. */
public interface KeySource {

    /** The key new values are sealed with, created on first need. */
    DataKey current(String tenantId);

    /** The given version of the tenant's key; empty once shredded (or never created). */
    Optional<DataKey> find(String tenantId, int version);

    /** Drops whatever this process remembers of the tenant's keys (they were shredded). */
    default void forget(String tenantId) {}
}
