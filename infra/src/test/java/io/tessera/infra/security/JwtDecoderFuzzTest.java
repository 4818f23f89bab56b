package io.tessera.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.events.user.Role;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Fuzzes the HS256 decoder the way the resource server uses it: arbitrary strings, edits of a valid token,
 * and tokens with arbitrary header and claims JSON signed with the right secret. Invariant: the decoder
 * answers a {@link Jwt} or throws a {@link BadJwtException} (the only failure that becomes a 401; any other
 * exception is a 500), and a token it accepts yields a {@link Caller} and a tenant without throwing anything
 * but the 403 {@link ApiException}.
 */
class JwtDecoderFuzzTest {

    private static final String SECRET = "fuzz-secret-that-is-at-least-32-bytes-long";
    private static final JwtDecoder DECODER =
            new TesseraSecurityAutoConfiguration().jwtDecoder(new JwtSettings(SECRET, null, null, null, null));
    private static final String VALID = new TokenIssuer(SECRET, null)
            .issue("fuzzer", "acme", List.of(Role.EDITOR), Set.of("globex"), false, Duration.ofDays(36500));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @FuzzTest(maxDuration = "60s")
    void decoderThrowsOnlyBadJwt(FuzzedDataProvider data) throws Exception {
        String token = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> edit(VALID, data);
            default -> signed(data.consumeString(200), data.consumeRemainingAsString());
        };
        Jwt jwt;
        try {
            jwt = DECODER.decode(token);
        } catch (BadJwtException refused) {
            return;
        }
        Caller caller = Caller.from(jwt);
        assertThat(caller.subject()).isNotBlank();
        assertThat(caller.homeTenant()).isNotBlank();
        try {
            TenantResolver.resolve(data.consumeString(20), null, null, caller);
        } catch (ApiException forbidden) {
            assertThat(forbidden.code().status().value()).isEqualTo(403);
        }
    }

    private static String signed(String header, String claims) throws Exception {
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
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
