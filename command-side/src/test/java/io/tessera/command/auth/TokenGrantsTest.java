package io.tessera.command.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.security.JwtSettings;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import org.junit.jupiter.api.Test;

class TokenGrantsTest {

    private final AuthSettings defaults = new AuthSettings(null, null, null, null, null);

    @Test
    void issuesNothingWhenTokensComeFromAnExternalIdentityProvider() {
        TokenGrants grants = new TokenGrants(
                new JwtSettings(null, "https://id.example", "https://id.example/jwks", null, null),
                defaults,
                null,
                null,
                ClientAttempts.unlimited());

        assertThat(grants.enabled()).isFalse();
        for (Runnable call : new Runnable[] {
            () -> grants.clientCredentials("acme.ci", "secret", "127.0.0.1"),
            () -> grants.refresh("token", "127.0.0.1"),
            () -> grants.authenticate("acme.ci", "secret", "127.0.0.1")
        }) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void issuesShortLivedAccessTokensAndMonthLongRefreshTokensByDefault() {
        assertThat(defaults.accessTokenTtl()).hasMinutes(15);
        assertThat(defaults.refreshTokenTtl()).hasDays(30);
        assertThat(defaults.attemptsPerMinute()).isEqualTo(20);
        assertThat(defaults.failedAttemptsPerAddress()).isEqualTo(60);
        assertThat(defaults.backOff()).hasSeconds(5);
    }
}
