package io.tessera.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    private static final byte[] BODY = "{\"project_name\":\"shop\",\"url\":null}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsUpTo255PrintableAsciiCharacters() {
        assertThat(IdempotencyKey.checked("k".repeat(255))).hasSize(255);
        assertThat(IdempotencyKey.checked("a b~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"))
                .isNotEmpty();
    }

    @Test
    void refusesEmptyLongerNonAsciiAndControlCharacters() {
        for (String key : new String[] {"", "k".repeat(256), "schlüssel", "tab\there", "nul\u0000", "del\u007f"}) {
            assertThatThrownBy(() -> IdempotencyKey.checked(key))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
    }

    @Test
    void theSameBodyInAnotherLayoutIsTheSameRequest() {
        IdempotencyKey first = IdempotencyKey.ofHttp("k", "alice", false, "POST", "/api/deployments", BODY);
        IdempotencyKey again = IdempotencyKey.ofHttp(
                "k",
                "alice",
                false,
                "POST",
                "/api/deployments",
                " { \"url\" : null , \"project_name\" : \"shop\" } ".getBytes(StandardCharsets.UTF_8));

        assertThat(again).isEqualTo(first);
    }

    @Test
    void anotherMethodRouteOrBodyIsAnotherRequest() {
        IdempotencyKey first = IdempotencyKey.ofHttp("k", "alice", false, "POST", "/api/deployments", BODY);

        assertThat(IdempotencyKey.ofHttp("k", "alice", false, "POST", "/api/workflows", BODY)
                        .requestDigest())
                .isNotEqualTo(first.requestDigest());
        assertThat(IdempotencyKey.ofHttp("k", "alice", false, "PUT", "/api/deployments", BODY)
                        .requestDigest())
                .isNotEqualTo(first.requestDigest());
        assertThat(IdempotencyKey.ofHttp(
                                "k", "alice", false, "POST", "/api/deployments", "{}".getBytes(StandardCharsets.UTF_8))
                        .requestDigest())
                .isNotEqualTo(first.requestDigest());
    }

    @Test
    void aPlatformAdministratorsKeysLiveApartFromATenantUsersOfTheSameSubject() {
        assertThat(IdempotencyKey.ofHttp("k", "alice", true, "POST", "/api/deployments", BODY)
                        .caller())
                .isNotEqualTo(IdempotencyKey.ofHttp("k", "alice", false, "POST", "/api/deployments", BODY)
                        .caller());
    }

    @Test
    void aLongOrUnprintableSubjectIsKeptByItsDigest() {
        assertThat(IdempotencyKey.ofHttp("k", "s".repeat(5000), false, "POST", "/", BODY)
                        .caller())
                .startsWith("sha256:")
                .hasSize("sha256:".length() + 64);
        assertThat(IdempotencyKey.ofHttp("k", "bjørn", false, "POST", "/", BODY).caller())
                .startsWith("sha256:");
    }

    @Test
    void aKafkaCommandIsBoundToItsTypeAndPayloadNotItsFieldOrder() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("project_name", "shop");
        payload.put("url", "https://shop.example");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("url", "https://shop.example");
        reordered.put("project_name", "shop");

        IdempotencyKey first = IdempotencyKey.ofKafka("c-1", "alice", "CreateDeployment", payload);

        assertThat(IdempotencyKey.ofKafka("c-1", "alice", "CreateDeployment", reordered))
                .isEqualTo(first);
        assertThat(IdempotencyKey.ofKafka("c-1", "alice", "CreateWorkflow", payload)
                        .requestDigest())
                .isNotEqualTo(first.requestDigest());
    }
}
