package io.tessera.query.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Pagination;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

    private final DeploymentQueries queries = mock(DeploymentQueries.class);
    private final DeploymentController controller = new DeploymentController(
            queries, new CursorCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    private final RequestTenant acme =
            new RequestTenant("acme", new Caller("alice", "acme", Set.of(Role.VIEWER), Set.of(), false));

    @Test
    void looksUpAnIdOnlyWithinTheRequestTenant() {
        when(queries.find("acme", "dep-of-globex", MinPosition.NONE)).thenReturn(Optional.empty());

        assertThatThrownBy(() -> controller.get(acme, MinPosition.NONE, "dep-of-globex"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        verify(queries).find("acme", "dep-of-globex", MinPosition.NONE);
    }

    @Test
    void listsOnlyWithinTheRequestTenant() {
        when(queries.list(eq("acme"), any(), eq(MinPosition.NONE)))
                .thenReturn(new ListPage<>(List.of(), new Pagination(1, 50, 0, 0, false, false, null)));

        assertThat(controller
                        .list(acme, MinPosition.NONE, null, null, null, null, null, null, null, null, null)
                        .tenantId())
                .isEqualTo("acme");
        verify(queries).list(eq("acme"), any(), eq(MinPosition.NONE));
    }

    @Test
    void refusesAnUnknownStatusFilter() {
        assertThatThrownBy(() -> controller.list(
                        acme, MinPosition.NONE, "exploded", null, null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }

    @Test
    void needsTheReadPermission() {
        RequestTenant auditor =
                new RequestTenant("acme", new Caller("a", "acme", Set.of(Role.AUDITOR), Set.of(), false));

        assertThatThrownBy(() -> controller.get(auditor, MinPosition.NONE, "d"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }
}
