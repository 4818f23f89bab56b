package io.tessera.command.intake;

import io.tessera.infra.web.ApiException;
import java.util.Map;
import java.util.function.Function;

/**
 * One type of command on {@code tessera.commands} ({@code CreateDeployment}, ...), registered by the feature that
 * handles it ({@link KafkaCommands}), so that the intake knows no feature: the type's name in the envelope, the resource it
 * acts on (audited with a refusal) and how the feature makes its command out of the record's payload, validated
 * as the HTTP route validates its body.
 */
public record KafkaCommandType(String type, String resource, Decoder decoder) {

    /** The command for the tenant out of a record's payload; a payload it cannot use throws {@link ApiException}. */
    @FunctionalInterface
    public interface Decoder {
        Decoded decode(String tenantId, Payload payload);
    }

    /** The command, and the id of the resource it creates or acts on. */
    public record Decoded(String resourceId, Object command) {}

    /** A record's payload, read as the feature's payload type or for the id of the resource it names. */
    public static final class Payload {

        private final Map<String, Object> fields;
        private final Function<Class<?>, Object> reader;

        Payload(Map<String, Object> fields, Function<Class<?>, Object> reader) {
            this.fields = fields;
            this.reader = reader;
        }

        /** The payload as the published language's record of this command (unknown fields refused). */
        public <T> T as(Class<T> type) {
            return type.cast(reader.apply(type));
        }

        /** The {@code id} of the resource an update or a delete names: required. */
        public String id() {
            if (fields.get("id") instanceof String id && !id.isBlank()) {
                return id;
            }
            throw ApiException.validation("id: required");
        }
    }
}
