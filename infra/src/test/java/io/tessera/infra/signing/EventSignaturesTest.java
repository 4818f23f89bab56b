package io.tessera.infra.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class EventSignaturesTest {

    private static final KeyPair KEY = Ed25519Keys.generate();
    private static final KeyPair OTHER = Ed25519Keys.generate();
    private static final EventSigner SIGNER = new EventSigner("k1", KEY.getPrivate());
    private static final EventKeys KEYS = EventKeys.of(Map.of("k1", KEY.getPublic()));

    private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/tessera/command-side\","
            + "\"type\":\"tessera.tenant.offboarded.v1\",\"time\":\"2026-05-01T10:00:00.123Z\",\"subject\":\"acme\","
            + "\"datacontenttype\":\"application/json\",\"data\":{\"tenant_id\":\"acme\"},\"tenantid\":\"acme\","
            + "\"sequence\":\"0000000000000000004\",\"position\":\"4294967301\"}";

    @Test
    void theSignedContentIsTheCanonicalJsonWithoutTheSignature() {
        String signed =
                "{\"b\":[1.0E2,\"\\u00e9\"],\"a\":{\"z\":true,\"y\":null},\"keyid\":\"k1\",\"signature\":\"AA==\"}";

        assertThat(new String(EventSignatures.signedContent(signed), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"y\":null,\"z\":true},\"b\":[100,\"é\"]}");
    }

    @Test
    void aSignedEventVerifiesWhateverItsKeyOrderAndSpacing() {
        ObjectNode signed = sign(EVENT);
        ObjectNode reordered = JsonNodeFactory.instance.objectNode();
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(signed.properties());
        Collections.reverse(fields);
        fields.forEach(field -> reordered.set(field.getKey(), field.getValue()));

        assertThat(KEYS.verify(signed)).isEqualTo(new EventKeys.Verified("k1"));
        assertThat(KEYS.verify(reordered)).isEqualTo(new EventKeys.Verified("k1"));
    }

    @Test
    void anyChangedValueBreaksTheSignature() {
        for (String[] change : new String[][] {
            {"tenantid", "globex"}, {"position", "4294967302"}, {"type", "tessera.tenant.created.v1"}, {"id", "e2"}
        }) {
            ObjectNode forged = sign(EVENT);
            forged.put(change[0], change[1]);
            assertThat(KEYS.verify(forged)).as(change[0]).isInstanceOf(EventKeys.Refused.class);
        }
        ObjectNode otherData = sign(EVENT);
        ((ObjectNode) otherData.get("data")).put("tenant_id", "globex");
        assertThat(KEYS.verify(otherData)).isInstanceOf(EventKeys.Refused.class);
    }

    @Test
    void aRememberedVerdictNeverCoversOtherBytes() {
        EventKeys keys = EventKeys.of(Map.of("k1", KEY.getPublic()));
        ObjectNode signed = sign(EVENT);
        assertThat(keys.verify(signed)).isEqualTo(new EventKeys.Verified("k1"));
        assertThat(keys.verify(signed.deepCopy())).isEqualTo(new EventKeys.Verified("k1"));

        ObjectNode forged = signed.deepCopy();
        forged.put(EventEnvelope.TENANTID, "globex");
        ((ObjectNode) forged.get("data")).put("tenant_id", "globex");
        ObjectNode otherSignature = signed.deepCopy();
        otherSignature.put(EventEnvelope.SIGNATURE, new EventSigner("k1", OTHER.getPrivate()).sign(EVENT));

        assertThat(keys.verify(forged)).isInstanceOf(EventKeys.Refused.class);
        assertThat(keys.verify(otherSignature)).isInstanceOf(EventKeys.Refused.class);
        assertThat(keys.verify(signed)).isEqualTo(new EventKeys.Verified("k1"));
    }

    @Test
    void onlyKnownKeysAreTrusted() {
        ObjectNode byAnother = EventSignatures.parse(EVENT);
        byAnother.put(EventEnvelope.KEYID, "k1");
        byAnother.put(EventEnvelope.SIGNATURE, new EventSigner("k1", OTHER.getPrivate()).sign(EVENT));
        ObjectNode unknownKey = sign(EVENT);
        unknownKey.put(EventEnvelope.KEYID, "k9");
        ObjectNode half = EventSignatures.parse(EVENT);
        half.put(EventEnvelope.KEYID, "k1");

        assertThat(KEYS.verify(byAnother)).isEqualTo(new EventKeys.Refused("signature does not verify with key k1"));
        assertThat(KEYS.verify(unknownKey)).isEqualTo(new EventKeys.Refused("unknown signing key k9"));
        assertThat(KEYS.verify(half)).isEqualTo(new EventKeys.Refused("signature extensions incomplete"));
        assertThat(KEYS.verify(EventSignatures.parse(EVENT))).isEqualTo(new EventKeys.Unsigned());
    }

    @Test
    void readersKnowSeveralKeysAtOnceForRotation() {
        String config = "k1=" + Ed25519Keys.encode(KEY.getPublic()) + ", k2=" + Ed25519Keys.encode(OTHER.getPublic());
        EventKeys both = EventKeys.parse(config);
        ObjectNode byNew = EventSignatures.parse(EVENT);
        byNew.put(EventEnvelope.KEYID, "k2");
        byNew.put(EventEnvelope.SIGNATURE, new EventSigner("k2", OTHER.getPrivate()).sign(EVENT));

        assertThat(both.ids()).containsExactlyInAnyOrder("k1", "k2");
        assertThat(both.verify(sign(EVENT))).isEqualTo(new EventKeys.Verified("k1"));
        assertThat(both.verify(byNew)).isEqualTo(new EventKeys.Verified("k2"));
        assertThatThrownBy(() -> EventKeys.parse("k1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventKeys.parse("k1=notakey")).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventKeys.parse(" ").ids()).isEmpty();
    }

    @Test
    void keysTravelAsBase64OfTheirStandardEncodings() {
        String privateKey = Ed25519Keys.encode(KEY.getPrivate());
        String publicKey = Ed25519Keys.encode(KEY.getPublic());
        ObjectNode signed = EventSignatures.parse(EVENT);
        signed.put(EventEnvelope.KEYID, "k1");
        signed.put(EventEnvelope.SIGNATURE, new EventSigner("k1", Ed25519Keys.privateKey(privateKey)).sign(EVENT));

        assertThat(EventKeys.of(Map.of("k1", Ed25519Keys.publicKey(publicKey))).verify(signed))
                .isEqualTo(new EventKeys.Verified("k1"));
        assertThat(Ed25519Keys.keyIdOf(KEY.getPublic())).matches("ed25519-[0-9a-f]{16}");
    }

    private static ObjectNode sign(String json) {
        ObjectNode node = EventSignatures.parse(json);
        node.put(EventEnvelope.KEYID, SIGNER.keyId());
        node.put(EventEnvelope.SIGNATURE, SIGNER.sign(json));
        return node;
    }
}
