package io.tessera.query.paging;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes the cursor decoder and the list-parameter parser. In a normal build these run only the saved inputs
 * under {@code src/test/resources/io/tessera/query/paging/CursorCodecFuzzTestInputs/} (regression mode); with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes (see DEVELOPERS.md). Invariant: an input either decodes to the cursor of
 * the listing it is checked against, or is refused with {@code VALIDATION_FAILED}; nothing else escapes.
 */
class CursorCodecFuzzTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final CursorCodec CODEC = new CursorCodec(KEY);
    private static final ListFilter FILTER = new ListFilter("active", "shop", null, null, SortOrder.NEWEST_FIRST);
    private static final Keyset POSITION = new Keyset(Instant.parse("2024-05-01T10:15:30.123456Z"), "dep-42");
    private static final String VALID = CODEC.encode("deployments", "acme", FILTER, POSITION);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** Arbitrary text, and edits of a valid cursor: a success must be exactly the cursor that was issued. */
    @FuzzTest(maxDuration = "60s")
    void decodeNeverThrowsAnythingButValidation(FuzzedDataProvider data) {
        String cursor = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> edit(VALID, data);
            default -> VALID.substring(0, data.consumeInt(0, VALID.length())) + data.consumeRemainingAsString();
        };
        try {
            Keyset decoded = CODEC.decode(cursor, "deployments", "acme", FILTER);
            assertThat(decoded).isEqualTo(POSITION);
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.details()).containsExactly(CursorCodec.INVALID);
        }
    }

    /**
     * Payloads signed with the right key (as if the key had leaked to a fuzzer): the part after the signature
     * check must still refuse anything but this tenant's, this listing's cursor, and never throw anything else.
     */
    @FuzzTest(maxDuration = "60s")
    void signedPayloadsAreCheckedField(FuzzedDataProvider data) throws Exception {
        String tenant = data.consumeBoolean() ? "acme" : "globex";
        String payload = data.consumeBoolean()
                ? String.join(
                        "\n",
                        "c1",
                        "deployments",
                        tenant,
                        FILTER.fingerprint("deployments"),
                        data.consumeString(40),
                        data.consumeRemainingAsString())
                : data.consumeRemainingAsString();
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String cursor = B64.encodeToString(bytes) + "." + B64.encodeToString(mac.doFinal(bytes));
        try {
            Keyset decoded = CODEC.decode(cursor, "deployments", "acme", FILTER);
            assertThat(tenant).isEqualTo("acme");
            assertThat(decoded.createdAt()).isNotNull();
            assertThat(decoded.id()).isNotNull();
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        }
    }

    /** Every list parameter at once, cursor included: a request, or one 400 naming the problems. */
    @FuzzTest(maxDuration = "60s")
    void listParametersParseOrAreRefused(FuzzedDataProvider data) {
        ListParameters raw = new ListParameters(
                nullable(data),
                nullable(data),
                nullable(data),
                nullable(data),
                nullable(data),
                nullable(data),
                nullable(data),
                data.consumeBoolean() ? VALID : nullable(data),
                data.consumeBoolean() ? null : data.consumeRemainingAsString());
        try {
            ListRequest request =
                    ListRequestParser.parse(raw, Set.of("pending", "active"), "deployments", "acme", CODEC);
            assertThat(request.page().size()).isBetween(1, PageSpec.MAX_SIZE);
            if (request.page() instanceof PageSpec.Numbered numbered) {
                assertThat(numbered.page()).isPositive();
            }
            ListFilter filter = request.filter();
            if (filter.q() != null) {
                assertThat(filter.q().length()).isLessThanOrEqualTo(ListRequestParser.MAX_Q_LENGTH);
            }
            if (filter.status() != null) {
                assertThat(filter.status()).isIn("pending", "active");
            }
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        }
    }

    private static String nullable(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeString(64);
    }

    private static String edit(String text, FuzzedDataProvider data) {
        StringBuilder edited = new StringBuilder(text);
        int edits = data.consumeInt(1, 4);
        for (int i = 0; i < edits && edited.length() > 0; i++) {
            int at = data.consumeInt(0, edited.length() - 1);
            switch (data.consumeInt(0, 2)) {
                case 0 -> edited.setCharAt(at, data.consumeChar());
                case 1 -> edited.deleteCharAt(at);
                default -> edited.insert(at, data.consumeChar());
            }
        }
        return edited.toString();
    }
}
