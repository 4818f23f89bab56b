package io.tessera.query.deadletter;

import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.ProjectionDispatcher;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.projection.RecordPlace;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies dead letters again, in their aggregate's order: the head of the queue first, each in a
 * transaction of its own under the tenant's projection lock, until the queue is empty or one fails again
 * (it then stays first, with its attempts counted). A letter without a place in an aggregate (an unreadable
 * record) is retried alone.
 */
@Component
public class DeadLetterRetries {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetries.class);

    private final DeadLetters deadLetters;
    private final ProjectionDispatcher dispatcher;
    private final TenantTransactions transactions;

    DeadLetterRetries(DeadLetters deadLetters, ProjectionDispatcher dispatcher, TenantTransactions transactions) {
        this.deadLetters = deadLetters;
        this.dispatcher = dispatcher;
        this.transactions = transactions;
    }

    /** Retries the queue {@code letter} is in; the caller has checked that it may see the letter. */
    public RetryOutcome retry(DeadLetter letter) {
        if (letter.tenantId() == null || letter.aggregateId() == null) {
            return retryAlone(letter);
        }
        int applied = 0;
        while (true) {
            Optional<ProjectedEvent> applies;
            try {
                applies = transactions.projecting(() -> {
                    deadLetters.lockTenant(letter.tenantId());
                    return deadLetters
                            .head(letter.tenantId(), letter.aggregateId())
                            .map(this::applyLocked);
                });
            } catch (RuntimeException e) {
                if (ProjectionFailures.isTransient(e)) {
                    throw e;
                }
                Optional<DeadLetter> failed =
                        transactions.projecting(() -> deadLetters.head(letter.tenantId(), letter.aggregateId()));
                failed.ifPresent(f -> deadLetters.attemptFailed(f.id(), e));
                log.warn(
                        "Retry of a dead letter of aggregate {} failed again: {}",
                        letter.aggregateId(),
                        ProjectionFailures.describe(e));
                return new RetryOutcome(applied, remaining(letter), ProjectionFailures.describe(e));
            }
            if (applies.isEmpty()) {
                return new RetryOutcome(applied, 0, null);
            }
            dispatcher.committed(applies.get());
            applied++;
        }
    }

    private ProjectedEvent applyLocked(DeadLetter letter) {
        ProjectedEvent event = readable(letter);
        dispatcher.applyLocked(event);
        deadLetters.remove(letter.id());
        return event;
    }

    private RetryOutcome retryAlone(DeadLetter letter) {
        CloudEventReader.Outcome outcome = dispatcher.reader().read(letter.record(), Instant.now(), place(letter));
        if (outcome instanceof CloudEventReader.Unverified unverified) {
            deadLetters.attemptFailed(letter.id(), "unverified: " + unverified.reason());
            return new RetryOutcome(0, 1, "unverified: " + unverified.reason());
        }
        if (outcome instanceof CloudEventReader.Unreadable unreadable) {
            deadLetters.attemptFailed(letter.id(), "unreadable: " + unreadable.reason());
            return new RetryOutcome(0, 1, "unreadable: " + unreadable.reason());
        }
        ProjectedEvent event = ((CloudEventReader.Readable) outcome).event();
        try {
            transactions.project(() -> {
                deadLetters.lockTenant(event.tenantId());
                deadLetters.remove(letter.id());
                if (deadLetters.blocked(event.tenantId(), event.aggregateId())) {
                    deadLetters.enqueue(event, letter.record(), letter.origin(), DeadLetter.WAITING, null);
                } else {
                    dispatcher.applyLocked(event);
                }
            });
        } catch (RuntimeException e) {
            if (ProjectionFailures.isTransient(e)) {
                throw e;
            }
            deadLetters.attemptFailed(letter.id(), e);
            return new RetryOutcome(0, 1, ProjectionFailures.describe(e));
        }
        dispatcher.committed(event);
        return new RetryOutcome(1, 0, null);
    }

    private ProjectedEvent readable(DeadLetter letter) {
        CloudEventReader.Outcome outcome =
                dispatcher.reader().read(letter.record(), letter.enqueuedAt(), place(letter));
        if (outcome instanceof CloudEventReader.Readable readable) {
            return readable.event();
        }
        throw new IllegalStateException(
                outcome instanceof CloudEventReader.Unverified unverified
                        ? "unverified: " + unverified.reason()
                        : "unreadable: " + ((CloudEventReader.Unreadable) outcome).reason());
    }

    /** Where the letter's record was on the topic, as the query side noted when it received it. */
    private static RecordPlace place(DeadLetter letter) {
        return RecordPlace.parse(letter.origin()).orElse(null);
    }

    private long remaining(DeadLetter letter) {
        return transactions.projecting(() -> deadLetters.remaining(letter.tenantId(), letter.aggregateId()));
    }
}
