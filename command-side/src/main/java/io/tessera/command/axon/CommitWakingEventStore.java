package io.tessera.command.axon;

import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the tracking processors (the publisher) when the database transaction that stored events commits. Axon
 * wakes them when a command's unit of work commits, but that unit joins the command transaction, which commits
 * later: woken then, the event store's reader would fetch (and look for gaps) before there is anything to read,
 * once for every command, so inside a transaction only its commit wakes it.
 */
final class CommitWakingEventStore extends EmbeddedEventStore {

    CommitWakingEventStore(Builder builder) {
        super(builder);
    }

    @Override
    protected void prepareCommit(List<? extends EventMessage<?>> events) {
        super.prepareCommit(events);
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && !TransactionSynchronizationManager.hasResource(this)) {
            TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(CommitWakingEventStore.this);
                    if (status == STATUS_COMMITTED) {
                        CommitWakingEventStore.this.afterCommit(events);
                    }
                }
            });
        }
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (!TransactionSynchronizationManager.hasResource(this)) {
            super.afterCommit(events);
        }
    }
}
