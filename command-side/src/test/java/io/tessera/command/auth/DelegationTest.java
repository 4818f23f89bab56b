package io.tessera.command.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DelegationTest {

    @Test
    void anAdminGrantsWhatAnAdminHoldsButNotAuditor() {
        assertThat(Delegation.grantableBy(caller(Set.of(Role.ADMIN), false)))
                .containsExactlyInAnyOrder(Role.VIEWER, Role.EDITOR, Role.ADMIN);
    }

    @Test
    void anAdminWhoIsAlsoAuditorGrantsAuditor() {
        assertThat(Delegation.grantableBy(caller(Set.of(Role.ADMIN, Role.AUDITOR), false)))
                .containsExactlyInAnyOrder(Role.values());
    }

    @Test
    void aPlatformAdminGrantsEveryRoleWithoutHoldingAny() {
        assertThat(Delegation.grantableBy(caller(Set.of(), true))).isEqualTo(EnumSet.allOf(Role.class));
    }

    @Test
    void lowerRolesGrantOnlyWhatTheyHold() {
        assertThat(Delegation.grantableBy(caller(Set.of(Role.EDITOR), false)))
                .containsExactlyInAnyOrder(Role.VIEWER, Role.EDITOR);
        assertThat(Delegation.grantableBy(caller(Set.of(Role.VIEWER), false))).containsExactly(Role.VIEWER);
        assertThat(Delegation.grantableBy(caller(Set.of(), false))).isEmpty();
    }

    private static Caller caller(Set<Role> roles, boolean platformAdmin) {
        return new Caller("ada", "acme", roles, Set.of(), platformAdmin);
    }
}
