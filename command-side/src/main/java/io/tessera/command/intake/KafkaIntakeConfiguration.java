package io.tessera.command.intake;

import io.tessera.infra.web.Unavailability;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the intake meets a record that failed. A transient failure (the database or Kafka away) is retried with
 * back-off for as long as it lasts: the record is not lost, and the partition waits, as every record behind it
 * would fail the same way. Any other failure is the record's own: after {@value #TRIES} tries it goes to the
 * dead-letter topic ({@link KafkaCommandIntake#cannotRun}) and the partition moves on. The back-off sleeps in
 * short steps that end when the container stops, so it never holds a shutdown.
 */
@Configuration(proxyBeanMethods = false)
class KafkaIntakeConfiguration {

    static final int TRIES = 3;

    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaCommandIntake intake) {
        return errorHandler(intake::cannotRun);
    }

    static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer cannotRun) {
        DefaultErrorHandler handler = new DefaultErrorHandler(cannotRun, new FixedBackOff(200, TRIES - 1));
        handler.setBackOffFunction((record, failure) -> isTransient(failure) ? untilItIsBack() : null);
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }

    private static BackOff untilItIsBack() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }

    static boolean isTransient(Throwable failure) {
        if (Unavailability.isDatabaseUnavailable(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RetriableException
                    || cause instanceof KafkaProducerException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
