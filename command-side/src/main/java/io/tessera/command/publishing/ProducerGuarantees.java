package io.tessera.command.publishing;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The publisher's delivery guarantees as the Kafka client will apply them: {@code acks=all} and idempotence
 * on. Kafka turns idempotence off without a word when it was not asked for explicitly and another setting
 * conflicts ({@code retries=0}, {@code acks} other than all), and refuses an explicit request only when the
 * producer is built, at the first send. Checked at start from the producer factory's own configuration,
 * parsed by Kafka's {@link ProducerConfig} as {@code KafkaProducer} parses it, so a misconfigured side does
 * not start instead of publishing with duplicates or holes.
 */
record ProducerGuarantees(String acks, boolean idempotence, int maxInFlight, int retries) {

    static ProducerGuarantees effective(Map<String, Object> producerConfiguration) {
        ProducerConfig parsed;
        try {
            parsed = new ProducerConfig(producerConfiguration);
        } catch (ConfigException e) {
            throw new IllegalStateException("The Kafka producer settings contradict each other: " + e.getMessage(), e);
        }
        return new ProducerGuarantees(
                parsed.getString(ProducerConfig.ACKS_CONFIG),
                parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG),
                parsed.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                parsed.getInt(ProducerConfig.RETRIES_CONFIG));
    }

    boolean acksAll() {
        return "all".equals(acks) || "-1".equals(acks);
    }

    ProducerGuarantees require() {
        if (!acksAll() || !idempotence) {
            throw new IllegalStateException("The event publisher needs acks=all and an idempotent producer; the"
                    + " effective settings are " + this + " (check spring.kafka.producer.*: retries=0 turns"
                    + " idempotence off)");
        }
        return this;
    }
}
