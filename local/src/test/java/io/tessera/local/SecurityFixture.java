package io.tessera.local;

import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system in this JVM (as {@code ./tessera run --no-demo}), driven from outside over raw HTTP and
 * Kafka for the security tests: every answer is kept byte for byte (body and headers), a token is optional.
 */
final class SecurityFixture implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final LocalRun run;
    final TokenIssuer tokens;
    final String jwtSecret;
    final String commandSide;
    final String querySide;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SecurityFixture(LocalRun run, TokenIssuer tokens, String jwtSecret) {
        this.run = run;
        this.tokens = tokens;
        this.jwtSecret = jwtSecret;
        this.commandSide = run.commandSideUrl();
        this.querySide = run.querySideUrl();
    }

    static SecurityFixture start(Path home) {
        LocalRunSettings settings = TestRuns.onSharedInfrastructure(home);
        LocalRun run = new LocalRun(settings, notice -> {}).start();
        return new SecurityFixture(
                run,
                settings.jwtSecret().tokenIssuer(Map.of()),
                settings.jwtSecret().value());
    }

    @Override
    public void close() {
        run.close();
    }

    /** One answer, exactly as received. */
    record Answer(int status, String body, HttpHeaders headers) {

        JsonNode json() {
            try {
                return body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            } catch (JacksonException notJson) {
                return JSON.missingNode();
            }
        }

        JsonNode data() {
            return json().path("data");
        }

        String errorCode() {
            return json().path("error").path("code").asString("");
        }

        /** Body and every header, as one text to search. */
        String everything() {
            StringBuilder text = new StringBuilder(body);
            headers.map()
                    .forEach((name, values) ->
                            text.append('\n').append(name).append(": ").append(values));
            return text.toString();
        }

        String describe() {
            return "HTTP " + status + " " + body;
        }
    }

    String token(String tenant, Role... roles) {
        return tokens.issue("sec-" + tenant, tenant, List.of(roles), Set.of(), false, Duration.ofHours(1));
    }

    String token(String subject, String tenant, Collection<Role> roles, boolean platformAdmin) {
        return tokens.issue(subject, tenant, roles, Set.of(), platformAdmin, Duration.ofHours(1));
    }

    /** {@code token} null: no Authorization header. {@code body}: raw text, sent as JSON; null: none. */
    Answer call(String base, String method, String path, String token, String body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + base + path + " was interrupted", e);
        }
    }

    /**
     * A GET of a server-sent-event stream, as a browser sends it ({@code Accept: text/event-stream}): a refusal is
     * read whole; an open stream is read up to its first event, then closed.
     */
    Answer stream(String base, String path, String token, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        try {
            HttpResponse<java.io.InputStream> response =
                    http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                StringBuilder body = new StringBuilder();
                boolean open = response.statusCode() == 200;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (open && line.isEmpty() && !body.isEmpty()) {
                        break;
                    }
                    body.append(line).append(open ? "\n" : "");
                }
                return new Answer(response.statusCode(), body.toString(), response.headers());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GET " + base + path + " was interrupted", e);
        }
    }

    Answer command(String method, String path, String token, Object body, String... headerPairs) {
        return call(commandSide, method, path, token, body == null ? null : JSON.writeValueAsString(body), headerPairs);
    }

    Answer query(String path, String token, String... headerPairs) {
        return call(querySide, "GET", path, token, null, headerPairs);
    }

    /** The id of an accepted command, or a failure naming the answer. */
    static String acceptedId(Answer answer) {
        if (answer.status() != 202) {
            throw new AssertionError("Expected 202, got " + answer.describe());
        }
        return answer.data().path("id").asString();
    }

    static Map<String, Object> kafkaCommand(
            String commandId, String type, String tenantId, String token, Map<String, Object> payload) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command_id", commandId);
        command.put("type", type);
        command.put("tenant_id", tenantId);
        command.put("token", token);
        command.put("payload", payload);
        return command;
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Reads a whole topic from its start, without a consumer group to join. */
    KafkaConsumer<String, String> consumerFromStart(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, run.kafkaBootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Sends the records (key = the record's tenant id, else "none") and waits for one result per command id on
     * {@code tessera.command-results}; returns the raw result values by command id.
     */
    Map<String, String> sendCommands(List<Map<String, Object>> commands, Duration atMost) {
        Map<String, String> results = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumerFromStart(Topics.COMMAND_RESULTS)) {
            try (KafkaProducer<String, String> producer = producer()) {
                for (Map<String, Object> command : commands) {
                    Object key = command.get("tenant_id");
                    producer.send(new ProducerRecord<>(
                            Topics.COMMANDS, key == null ? "none" : key.toString(), JSON.writeValueAsString(command)));
                }
            }
            Set<Object> wanted = new java.util.HashSet<>();
            commands.forEach(c -> wanted.add(c.get("command_id")));
            long deadline = System.nanoTime() + atMost.toNanos();
            while (!results.keySet().containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (wanted.contains(record.key())) {
                        results.put(record.key(), record.value());
                    }
                }
            }
        }
        return results;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
