package io.tessera.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class VerifiedTokensTest {

    private static final Instant ISSUED = Instant.parse("2026-11-27T10:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final JwtTimestampValidator validator = new JwtTimestampValidator(Duration.ZERO);

    private final JwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (!token.startsWith("signed-")) {
            throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "HS256")
                .subject("someone")
                .issuedAt(ISSUED)
                .expiresAt(ISSUED.plus(Duration.ofMinutes(15)))
                .build();
    };

    private final VerifiedTokens tokens = new VerifiedTokens(verifier, validator, nanos::get);

    @Test
    void aTokenSentAgainIsNotVerifiedAgainWithinAMinute() {
        at(ISSUED.plusSeconds(1));

        Jwt first = tokens.decode("signed-a");
        nanos.addAndGet(VerifiedTokens.REMEMBERED_FOR.minusSeconds(1).toNanos());
        Jwt again = tokens.decode("signed-a");

        assertThat(again).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void afterAMinuteItIsVerifiedAgain() {
        at(ISSUED.plusSeconds(1));
        tokens.decode("signed-a");

        nanos.addAndGet(VerifiedTokens.REMEMBERED_FOR.plusSeconds(1).toNanos());
        tokens.decode("signed-a");

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        at(ISSUED.plusSeconds(1));
        tokens.decode("signed-a");

        at(ISSUED.plus(Duration.ofMinutes(16)));

        assertThatThrownBy(() -> tokens.decode("signed-a"))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTokenThatFailsVerificationIsNeverRemembered() {
        at(ISSUED.plusSeconds(1));

        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verifications).hasValue(2);
    }

    private void at(Instant now) {
        validator.setClock(Clock.fixed(now, ZoneOffset.UTC));
    }
}
