package io.tessera.command.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tessera.command.Json;
import io.tessera.infra.web.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * An idempotency key bound to the request it came with, as the IETF {@code Idempotency-Key} draft has it: the
 * caller owns the key ({@code caller}: keys of different callers never meet), and {@code requestDigest} says what
 * was asked (method, route, body). The same key with the same digest is a retry and gets the first answer; with
 * another digest it is refused ({@code IDEMPOTENCY_KEY_REUSED}).
 *
 * <p>On HTTP the key is the {@code Idempotency-Key} header; on Kafka it is the record's {@code command_id}.
 */
public record IdempotencyKey(String value, String caller, String requestDigest) {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;

    /** Longer subjects are kept by their digest, so that the key's index entry stays small. */
    private static final int MAX_CALLER_LENGTH = 200;

    /** Bodies are compared as JSON, so that a retry that orders its fields differently is still the same request. */
    private static final ObjectMapper CANONICAL =
            Json.newMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** At most {@value #MAX_LENGTH} printable ASCII characters; the header's value, else a 400. */
    public static String checked(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !printableAscii(value)) {
            throw ApiException.validation(
                    "The request is not valid",
                    java.util.List.of(HEADER + ": 1 to " + MAX_LENGTH + " printable ASCII characters"));
        }
        return value;
    }

    /**
     * The key of an HTTP command. A platform administrator acts beside a tenant's own callers, never as one of
     * them: its keys live apart even if its subject is a tenant user's.
     */
    public static IdempotencyKey ofHttp(
            String value, String subject, boolean platformAdmin, String method, String route, byte[] body) {
        return new IdempotencyKey(
                checked(value), callerOf(subject, platformAdmin), digest(method + " " + route + "\n", canonical(body)));
    }

    /** The key of a Kafka command: its command id, bound to its type and payload (not to its token, which expires). */
    static IdempotencyKey ofKafka(String commandId, String subject, String type, Map<String, Object> payload) {
        byte[] body;
        try {
            body = CANONICAL.writeValueAsBytes(payload == null ? Map.of() : payload);
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        return new IdempotencyKey(commandId, callerOf(subject, false), digest("kafka " + type + "\n", body));
    }

    /** A key the server makes for a step of its own (an imported row's): bound to nothing but itself. */
    public static IdempotencyKey ofStep(String value, String caller) {
        return new IdempotencyKey(
                value, callerOf(caller, false), digest("step\n", value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String callerOf(String subject, boolean platformAdmin) {
        String caller = (platformAdmin ? "platform-admin:" : "") + subject;
        return caller.length() <= MAX_CALLER_LENGTH && printableAscii(caller)
                ? caller
                : "sha256:" + digest("", caller.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] canonical(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try {
            return CANONICAL.writeValueAsBytes(CANONICAL.readValue(body, Object.class));
        } catch (IOException notJson) {
            return body;
        }
    }

    private static String digest(String head, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(head.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static boolean printableAscii(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
