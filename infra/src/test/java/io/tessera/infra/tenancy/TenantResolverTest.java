package io.tessera.infra.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantResolverTest {

    private final Caller acmeAdmin = new Caller("ann", "acme", Set.of(Role.ADMIN), Set.of("globex"), false);

    @Test
    void headerComesFirst() {
        assertThat(TenantResolver.resolve("globex", "acme", "acme.tessera.io", acmeAdmin))
                .isEqualTo("globex");
    }

    @Test
    void parameterComesBeforeSubdomain() {
        assertThat(TenantResolver.resolve(null, "globex", "acme.tessera.io", acmeAdmin))
                .isEqualTo("globex");
    }

    @Test
    void subdomainComesBeforeTheToken() {
        assertThat(TenantResolver.resolve(null, null, "globex.tessera.io:8082", acmeAdmin))
                .isEqualTo("globex");
    }

    @Test
    void tokenTenantIsTheFallback() {
        assertThat(TenantResolver.resolve(null, " ", "localhost:8082", acmeAdmin))
                .isEqualTo("acme");
    }

    @Test
    void wwwApiBareDomainsAndAddressesAreNoSubdomains() {
        assertThat(TenantResolver.subdomainOf("www.tessera.io")).isNull();
        assertThat(TenantResolver.subdomainOf("api.tessera.io")).isNull();
        assertThat(TenantResolver.subdomainOf("tessera.io")).isNull();
        assertThat(TenantResolver.subdomainOf("127.0.0.1:8082")).isNull();
        assertThat(TenantResolver.subdomainOf("[::1]:8082")).isNull();
        assertThat(TenantResolver.subdomainOf("acme.localhost:8082")).isEqualTo("acme");
    }

    @Test
    void refusesATenantTheTokenMayNotActFor() {
        assertThatThrownBy(() -> TenantResolver.resolve("initech", null, null, acmeAdmin))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TENANT_FORBIDDEN));
    }

    @Test
    void refusesAMalformedTenantIdTheSameWay() {
        assertThatThrownBy(() -> TenantResolver.resolve("../acme", null, null, acmeAdmin))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TENANT_FORBIDDEN));
    }
}
