package io.tessera.query.tenancy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work gathered over a transaction and done once, just before it commits, still inside it (its role and tenant
 * settings hold): a batch of a tenant's events then pays for it once, not once per event.
 */
public final class BeforeCommit {

    private BeforeCommit() {}

    /**
     * Adds {@code item} to what {@code owner} gathered in this transaction; the first one also registers
     * {@code work}, which gets all of them before the commit. Outside a transaction the work is done at once.
     */
    public static <T> void gather(Object owner, T item, Consumer<Set<T>> work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.accept(Set.of(item));
            return;
        }
        @SuppressWarnings("unchecked")
        Set<T> gathered = (Set<T>) TransactionSynchronizationManager.getResource(owner);
        if (gathered == null) {
            Set<T> bound = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(owner, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    work.accept(bound);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(owner);
                }
            });
            gathered = bound;
        }
        gathered.add(item);
    }
}
