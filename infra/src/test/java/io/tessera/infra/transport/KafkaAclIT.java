package io.tessera.infra.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import io.tessera.infra.runtime.LocalKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka access by principal, on a real broker with SASL/SCRAM and the standard authorizer ({@link KafkaAcls}): an
 * upstream system writes {@code tessera.commands} and reads its results, but reads no command and writes no event;
 * the command side reads the commands and writes the events; the query side reads the events and writes none; an
 * authenticated principal without ACLs can do nothing.
 */
class KafkaAclIT {

    private static final Map<String, String> USERS = Map.of(
            "admin", "admin-secret",
            "billing", "billing-secret",
            "tessera-command", "command-secret",
            "tessera-query", "query-secret",
            "stranger", "stranger-secret");

    private static LocalKafka kafka;

    @BeforeAll
    static void startASecuredBroker() throws Exception {
        kafka = LocalKafka.startSecured(null, USERS, "admin");
        try (Admin admin = Admin.create(settings("admin"))) {
            admin.createTopics(
                            List.of(Topics.COMMANDS, Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ, Topics.EVENTS)
                                    .stream()
                                    .map(topic -> new NewTopic(topic, 1, (short) 1))
                                    .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
            List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>();
            acls.addAll(KafkaAcls.upstream("User:billing"));
            acls.addAll(KafkaAcls.commandSide("User:tessera-command"));
            acls.addAll(KafkaAcls.querySide("User:tessera-query"));
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopTheBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anUpstreamSystemWritesCommandsButReadsNoCommandAndWritesNoEvent() {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> send("billing", Topics.COMMANDS));

        assertRefused(() -> send("billing", Topics.EVENTS));
        assertRefused(() -> read("billing", Topics.COMMANDS));
        assertRefused(() -> read("billing", Topics.EVENTS));
        read("billing", Topics.COMMAND_RESULTS);
    }

    @Test
    void tesserasOwnPrincipalsWork() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> send("billing", Topics.COMMANDS));
        try (KafkaConsumer<String, String> intake = groupConsumer("tessera-command", KafkaAcls.COMMAND_SIDE_GROUP)) {
            intake.subscribe(List.of(Topics.COMMANDS));
            List<ConsumerRecord<String, String>> commands = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                intake.poll(Duration.ofMillis(200)).forEach(commands::add);
                return !commands.isEmpty();
            });
        }
        for (String topic : List.of(Topics.EVENTS, Topics.COMMAND_RESULTS, Topics.COMMANDS_DLQ)) {
            assertThat(send("tessera-command", topic)).isTrue();
        }
        try (KafkaConsumer<String, String> projections =
                groupConsumer("tessera-query", KafkaAcls.QUERY_SIDE_GROUPS + "side")) {
            projections.subscribe(List.of(Topics.EVENTS));
            List<ConsumerRecord<String, String>> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                projections.poll(Duration.ofMillis(200)).forEach(events::add);
                return !events.isEmpty();
            });
        }

        assertRefused(() -> send("tessera-query", Topics.EVENTS));
        assertRefused(() -> read("tessera-query", Topics.COMMANDS));
        assertRefused(() -> send("stranger", Topics.EVENTS));
        assertRefused(() -> read("stranger", Topics.EVENTS));
    }

    private static boolean send(String user, String topic) throws Exception {
        Map<String, Object> producerSettings = new HashMap<>(settings(user));
        producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerSettings, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "acme", "{}")).get(30, TimeUnit.SECONDS);
            return true;
        }
    }

    /** Reads the topic from its start, without a group: only the topic's READ is needed. */
    private static void read(String user, String topic) {
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings(user), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ofSeconds(2));
        }
    }

    private static KafkaConsumer<String, String> groupConsumer(String user, String group) {
        Map<String, Object> consumerSettings = new HashMap<>(settings(user));
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Refused by the authorizer: for the topic, or, for a producer allowed to write nowhere, for the cluster. An
     * idempotent producer refused its producer id fails the send itself once it has heard the refusal (a
     * {@code KafkaException} caused by it), or the send's future if it has not yet: either way the authorizer's
     * exception is in the chain.
     */
    private static void assertRefused(ThrowingRunnable action) {
        assertThatThrownBy(action::run)
                .satisfies(failure ->
                        assertThat(causes(failure)).hasAtLeastOneElementOfType(AuthorizationException.class));
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Map<String, Object> settings(String user) {
        return LocalKafka.clientSettings(kafka.bootstrapServers(), user, USERS.get(user));
    }
}
