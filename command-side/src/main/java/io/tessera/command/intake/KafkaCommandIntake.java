package io.tessera.command.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.tracing.Span;
import io.tessera.command.Json;
import io.tessera.events.Topics;
import io.tessera.events.intake.CommandEnvelope;
import io.tessera.events.intake.CommandResult;
import io.tessera.infra.observability.TraceContext;
import io.tessera.infra.observability.TraceSpans;
import io.tessera.infra.security.Caller;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.OffboardedTenants;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code tessera.commands}: checks the token exactly as HTTP does, runs the command with its
 * command id as idempotency key and answers exactly once on {@code tessera.command-results}. A record
 * that cannot be read, or cannot be run ({@link #cannotRun}), goes to the dead-letter topic with the reason in a
 * header; the offset moves on.
 */
@Component
class KafkaCommandIntake {

    static final String DLQ_REASON = "x-tessera-dlq-reason";
    static final long SEND_TIMEOUT_SECONDS = 30;
    /** What a command id may be: it is the record's key on the results topic and an idempotency key. */
    static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    static final String COMMAND_ID_RULE = "command_id: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'";
    private static final Logger log = LoggerFactory.getLogger(KafkaCommandIntake.class);
    /** The envelope's types in the published language's order, for the message that lists them. */
    private static final String TYPE_RULE = "type: one of CreateDeployment, UpdateDeployment, DeleteDeployment, "
            + "CreateWorkflow, UpdateWorkflow, DeleteWorkflow";

    private final CommandExecutor executor;
    private final JwtDecoder jwtDecoder;
    private final KafkaTemplate<String, String> kafka;
    private final CommandMetrics metrics;
    private final OffboardedTenants offboardedTenants;
    private final TraceSpans spans;
    private final ObjectMapper json = Json.mapper();
    private final Map<String, KafkaCommandType> types;

    KafkaCommandIntake(
            List<KafkaCommands> features,
            CommandExecutor executor,
            JwtDecoder jwtDecoder,
            KafkaTemplate<String, String> kafka,
            CommandMetrics metrics,
            OffboardedTenants offboardedTenants,
            TraceSpans spans) {
        this.types = features.stream()
                .flatMap(feature -> feature.types().stream())
                .collect(Collectors.toUnmodifiableMap(KafkaCommandType::type, type -> type));
        if (!this.types.keySet().equals(CommandEnvelope.TYPES)) {
            throw new IllegalStateException("The features register the command types " + this.types.keySet()
                    + "; the published language has " + CommandEnvelope.TYPES);
        }
        this.spans = spans;
        this.executor = executor;
        this.jwtDecoder = jwtDecoder;
        this.kafka = kafka;
        this.metrics = metrics;
        this.offboardedTenants = offboardedTenants;
    }

    @KafkaListener(id = "tessera-command-intake", topics = Topics.COMMANDS, groupId = "tessera-command-side")
    void onRecord(ConsumerRecord<String, String> record) throws Exception {
        Header traceparent = record.headers().lastHeader(TraceContext.HEADER);
        try (TraceSpans.Hop hop = spans.begin(
                        "tessera.command",
                        Span.Kind.CONSUMER,
                        traceparent == null ? null : new String(traceparent.value(), StandardCharsets.UTF_8));
                TraceContext.Scope scope = hop.open()) {
            handle(record);
        }
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        CommandEnvelope envelope;
        try {
            envelope = record.value() == null ? null : json.readValue(record.value(), CommandEnvelope.class);
        } catch (JsonProcessingException e) {
            deadLetter(record, "Not a JSON command envelope: " + e.getOriginalMessage());
            return;
        }
        if (envelope == null
                || envelope.commandId() == null
                || envelope.commandId().isBlank()) {
            deadLetter(record, "command_id is missing");
            return;
        }
        if (!COMMAND_ID.matcher(envelope.commandId()).matches()) {
            deadLetter(record, COMMAND_ID_RULE);
            answer(rejected(envelope, ErrorCode.VALIDATION_FAILED, COMMAND_ID_RULE));
            return;
        }
        CommandResult result;
        try (MDC.MDCCloseable command = MDC.putCloseable("command_id", envelope.commandId())) {
            result = decide(envelope);
        }
        answer(result);
    }

    /**
     * The recoverer of a record that failed for a reason other than the database or Kafka being away, on its last
     * try: it goes to the dead-letter topic with the reason, its sender gets a rejected result if its command id is
     * readable, and the records behind it run. Nothing of it was stored: each try rolled back.
     */
    void cannotRun(ConsumerRecord<?, ?> failed, Exception failure) {
        try {
            moveAside(failed, failure);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Kafka is away: the record is tried again, and moved aside once it can be.
            throw new org.springframework.kafka.KafkaException(
                    "Could not move the record to " + Topics.COMMANDS_DLQ, e);
        }
    }

    private void moveAside(ConsumerRecord<?, ?> failed, Exception failure) throws Exception {
        if (!(failed.value() instanceof String value) || !Topics.COMMANDS.equals(failed.topic())) {
            log.error("A record of {} could not be handled and is skipped", failed.topic(), failure);
            return;
        }
        ConsumerRecord<String, String> record = new ConsumerRecord<>(
                failed.topic(), failed.partition(), failed.offset(), String.valueOf(failed.key()), value);
        Throwable cause = tellingCause(failure);
        String state = cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
        // Data (22) and integrity (23) errors: the command's values are what the database refused.
        boolean input = state.startsWith("22") || state.startsWith("23");
        String reason = state.isEmpty()
                ? cause.getClass().getName()
                : "SQLSTATE " + state + " (" + cause.getClass().getSimpleName() + ")";
        // The reason, never the failure's message: a driver's message quotes the row, i.e. the tenant's data.
        log.warn(
                "Command record {}-{}@{} failed on every try: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason);
        log.debug("The failure of {}-{}@{}", record.topic(), record.partition(), record.offset(), failure);
        deadLetter(record, "Could not be run: " + reason);
        CommandEnvelope envelope = readableEnvelope(value);
        if (envelope != null) {
            answer(rejected(
                    envelope,
                    input ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL,
                    "The command could not be run and was moved to " + Topics.COMMANDS_DLQ));
        }
    }

    private CommandEnvelope readableEnvelope(String value) {
        try {
            CommandEnvelope envelope = json.readValue(value, CommandEnvelope.class);
            return envelope != null
                            && envelope.commandId() != null
                            && COMMAND_ID.matcher(envelope.commandId()).matches()
                    ? envelope
                    : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void answer(CommandResult result) throws Exception {
        kafka.send(Topics.COMMAND_RESULTS, result.commandId(), json.writeValueAsString(result))
                .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The first SQL failure in the chain, else its root. */
    private static Throwable tellingCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof SQLException) {
                return cause;
            }
            cause = cause.getCause();
        }
        return cause;
    }

    CommandResult decide(CommandEnvelope envelope) {
        String tenantId = envelope.tenantId();
        if (!TenantResolver.isValidTenantId(tenantId)) {
            return rejected(envelope, ErrorCode.VALIDATION_FAILED, "tenant_id: required, a valid tenant id");
        }
        Caller caller;
        try {
            Jwt jwt = jwtDecoder.decode(envelope.token());
            caller = Caller.from(jwt);
        } catch (JwtException | IllegalArgumentException | NullPointerException e) {
            return rejected(envelope, ErrorCode.UNAUTHENTICATED, "A valid token is required");
        }
        if (offboardedTenants.isOffboarded(caller.homeTenant())) {
            return rejected(envelope, ErrorCode.UNAUTHENTICATED, "The token's tenant is offboarded");
        }
        if (!caller.mayActFor(tenantId)) {
            return rejected(envelope, ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        }
        if (!caller.has(Permission.WRITE)) {
            return refused(envelope, caller, ErrorCode.FORBIDDEN, "Your roles do not allow this");
        }
        CommandRequest request;
        try {
            request = toRequest(envelope, caller);
        } catch (ApiException e) {
            String message =
                    e.details().isEmpty() ? e.getMessage() : e.getMessage() + ": " + String.join("; ", e.details());
            return refused(envelope, caller, e.code(), message);
        } catch (IllegalArgumentException e) {
            return refused(
                    envelope, caller, ErrorCode.VALIDATION_FAILED, "The payload does not have the expected shape");
        }
        CommandOutcome outcome = executor.execute(request, "kafka");
        if (outcome.code() == ErrorCode.UNAVAILABLE) {
            // Nothing was decided: no result, and the error handler retries the record with back-off.
            throw new TransientDataAccessResourceException("The database is unavailable; the command will be retried");
        }
        return outcome.toResult();
    }

    /**
     * A refusal once the token is valid and may act for the tenant: audited in that tenant (the command id
     * makes a redelivery audit nothing new). Refusals before that are answered only.
     */
    private CommandResult refused(CommandEnvelope envelope, Caller caller, ErrorCode code, String message) {
        KafkaCommandType known = envelope.type() == null ? null : types.get(envelope.type());
        String type = known == null ? "unknown" : known.type();
        String resource = known == null ? null : known.resource();
        Object id = envelope.payload() == null ? null : envelope.payload().get("id");
        String resourceId = id instanceof String text ? text : null;
        executor.auditRefusal(
                envelope.tenantId(),
                caller.subject(),
                envelope.commandId(),
                new RejectionAudit.Refused(type, resource, resourceId),
                code,
                message);
        return rejected(envelope, envelope.tenantId(), code, message);
    }

    private CommandRequest toRequest(CommandEnvelope envelope, Caller caller) {
        KafkaCommandType type = envelope.type() == null ? null : types.get(envelope.type());
        if (type == null) {
            throw ApiException.validation(TYPE_RULE);
        }
        Map<String, Object> fields = envelope.payload() == null ? Map.of() : envelope.payload();
        KafkaCommandType.Decoded decoded = type.decoder()
                .decode(
                        envelope.tenantId(),
                        new KafkaCommandType.Payload(fields, payloadType -> json.convertValue(fields, payloadType)));
        return request(envelope, caller, type.resource(), decoded.resourceId(), decoded.command());
    }

    private static CommandRequest request(
            CommandEnvelope envelope, Caller caller, String resource, String resourceId, Object command) {
        return new CommandRequest(
                envelope.tenantId(),
                caller.subject(),
                IdempotencyKey.ofKafka(envelope.commandId(), caller.subject(), envelope.type(), envelope.payload()),
                envelope.commandId(),
                resource,
                resourceId,
                command);
    }

    private CommandResult rejected(CommandEnvelope envelope, ErrorCode code, String message) {
        return rejected(envelope, null, code, message);
    }

    private CommandResult rejected(CommandEnvelope envelope, String authorizedTenant, ErrorCode code, String message) {
        metrics.refusedOnKafka(authorizedTenant, envelope.type(), code);
        return CommandResult.rejected(envelope.commandId(), envelope.tenantId(), code.name(), message);
    }

    private void deadLetter(ConsumerRecord<String, String> record, String reason) throws Exception {
        log.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        metrics.deadLettered();
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.COMMANDS_DLQ, record.key(), record.value());
        dead.headers().add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers()
                .add(
                        "x-tessera-dlq-origin",
                        (record.topic() + "-" + record.partition() + "@" + record.offset())
                                .getBytes(StandardCharsets.UTF_8));
        kafka.send(dead).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
