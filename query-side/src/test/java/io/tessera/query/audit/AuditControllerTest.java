package io.tessera.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import io.tessera.query.paging.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditControllerTest {

    private final AuditQueries queries = mock(AuditQueries.class);
    private final AuditController audit = new AuditController(
            queries, new CursorCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    @Test
    void onlyAuditorsReadTheAuditAndVerifyIt() {
        for (Role role : List.of(Role.VIEWER, Role.EDITOR, Role.ADMIN)) {
            RequestTenant caller =
                    new RequestTenant("acme", new Caller("someone", "acme", Set.of(role), Set.of(), false));

            assertForbidden(() -> audit.audit(caller, null, null, null, null, null, null));
            assertForbidden(() -> audit.verify(caller));
        }
        verifyNoInteractions(queries);
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }
}
