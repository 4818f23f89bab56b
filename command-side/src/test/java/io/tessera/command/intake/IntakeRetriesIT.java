package io.tessera.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.infra.runtime.LocalInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

/**
 * The intake's error handler on the shared broker, with a listener that fails on purpose: a transient failure is
 * retried for as long as it lasts and its back-off never holds a shutdown; any other failure is given up after
 * three tries and handed to the recoverer, after which the records behind it run.
 */
class IntakeRetriesIT {

    @Test
    void aTransientFailureIsRetriedWithoutEndAndItsBackOffNeverHoldsAShutdown() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        List<ConsumerRecord<?, ?>> recovered = new CopyOnWriteArrayList<>();
        String topic = send("transient", "first");
        KafkaMessageListenerContainer<String, String> container = container(
                topic,
                record -> {
                    tries.incrementAndGet();
                    throw new TransientDataAccessResourceException("the database is away");
                },
                recovered);
        container.start();

        // Back-offs of 0.5, 1, 2 and 4 s: after the fifth try the container sleeps 8 s before the sixth.
        await().atMost(Duration.ofMinutes(1)).until(() -> tries.get() >= 5);
        long stopping = System.nanoTime();
        container.stop();
        Duration stop = Duration.ofNanos(System.nanoTime() - stopping);

        System.out.println("IntakeRetriesIT: stopped " + stop.toMillis() + " ms into an 8 s back-off");
        assertThat(stop).isLessThan(Duration.ofSeconds(4));
        assertThat(recovered).as("a transient failure is never given up").isEmpty();
    }

    @Test
    void anyOtherFailureIsGivenUpAfterThreeTriesAndTheRecordsBehindItRun() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<?, ?>> recovered = new CopyOnWriteArrayList<>();
        String topic = send("poison", "poison", "behind");
        KafkaMessageListenerContainer<String, String> container = container(
                topic,
                record -> {
                    if (record.value().equals("poison")) {
                        tries.incrementAndGet();
                        throw new DataIntegrityViolationException("violates a check constraint");
                    }
                    handled.add(record.value());
                },
                recovered);
        container.start();
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> handled.contains("behind"));
        } finally {
            container.stop();
        }

        assertThat(tries).hasValue(KafkaIntakeConfiguration.TRIES);
        assertThat(recovered).hasSize(1);
        assertThat(recovered.get(0).value()).isEqualTo("poison");
    }

    private static String send(String name, String... values) throws Exception {
        String topic = "intake-retries-" + name + "-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "one-partition", value))
                        .get();
            }
        }
        return topic;
    }

    private static KafkaMessageListenerContainer<String, String> container(
            String topic, MessageListener<String, String> listener, List<ConsumerRecord<?, ?>> recovered) {
        DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setAckMode(ContainerProperties.AckMode.RECORD);
        properties.setMessageListener(listener);
        KafkaMessageListenerContainer<String, String> container =
                new KafkaMessageListenerContainer<>(consumers, properties);
        container.setCommonErrorHandler(
                KafkaIntakeConfiguration.errorHandler((record, failure) -> recovered.add(record)));
        return container;
    }
}
