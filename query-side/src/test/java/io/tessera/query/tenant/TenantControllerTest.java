package io.tessera.query.tenant;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import io.tessera.query.freshness.MinPosition;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantControllerTest {

    private final TenantQueries queries = mock(TenantQueries.class);
    private final TenantController controller = new TenantController(queries);

    @Test
    void statsOfATenantTheCallerMayNotActForAreForbiddenWithoutLookingItUp() {
        RequestTenant acme = new RequestTenant("acme", viewerOf("acme", Set.of()));

        assertThatThrownBy(() -> controller.stats(acme, MinPosition.NONE, "globex"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .isEqualTo(ErrorCode.TENANT_FORBIDDEN));
        verifyNoInteractions(queries);
    }

    @Test
    void statsOfAListedTenantAreLookedUpForThatTenant() {
        RequestTenant acme = new RequestTenant("acme", viewerOf("acme", Set.of("globex")));
        when(queries.stats("globex", MinPosition.NONE)).thenReturn(Optional.empty());

        assertThatThrownBy(() -> controller.stats(acme, MinPosition.NONE, "globex"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .isEqualTo(ErrorCode.NOT_FOUND));
        verify(queries).stats("globex", MinPosition.NONE);
    }

    @Test
    void statsNeedTheReadPermission() {
        RequestTenant auditor =
                new RequestTenant("acme", new Caller("a", "acme", Set.of(Role.AUDITOR), Set.of(), false));

        assertThatThrownBy(() -> controller.stats(auditor, MinPosition.NONE, "acme"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                .isEqualTo(ErrorCode.FORBIDDEN));
    }

    private static Caller viewerOf(String home, Set<String> tenants) {
        return new Caller("alice", home, Set.of(Role.VIEWER), tenants, false);
    }
}
