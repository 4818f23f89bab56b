package io.tessera.infra.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    @Test
    void masksEmailAddresses() {
        assertThat(PiiMasker.mask("created user ann.lee@acme.example for acme"))
                .isEqualTo("created user a***@[masked] for acme")
                .doesNotContain("lee");
    }

    @Test
    void masksJwtsWhereverTheyStand() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJl";
        assertThat(PiiMasker.mask("record token=" + jwt)).doesNotContain("eyJ");
        assertThat(PiiMasker.mask("{\"token\":\"" + jwt + "\"}")).doesNotContain("eyJ");
    }

    @Test
    void masksBearerCredentialsAndSecrets() {
        assertThat(PiiMasker.mask("Authorization: Bearer abc.def")).doesNotContain("abc.def");
        assertThat(PiiMasker.mask("password=hunter2 secret: s3cr3t"))
                .doesNotContain("hunter2")
                .doesNotContain("s3cr3t");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String line = "deployment 42 of tenant acme moved from pending to building";
        assertThat(PiiMasker.mask(line)).isEqualTo(line);
    }
}
