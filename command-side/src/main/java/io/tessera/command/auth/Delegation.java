package io.tessera.command.auth;

import io.tessera.events.user.Role;
import io.tessera.infra.security.Caller;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a caller may put into a client it registers: at most what it holds. An admin holds what an editor and
 * a viewer hold too (the contract's "also"); {@code auditor} stands apart, so only an auditor or a platform
 * admin grants it.
 */
final class Delegation {

    private Delegation() {}

    static Set<Role> grantableBy(Caller caller) {
        if (caller.platformAdmin()) {
            return EnumSet.allOf(Role.class);
        }
        Set<Role> grantable = EnumSet.noneOf(Role.class);
        for (Role held : caller.roles()) {
            switch (held) {
                case ADMIN -> grantable.addAll(EnumSet.of(Role.VIEWER, Role.EDITOR, Role.ADMIN));
                case EDITOR -> grantable.addAll(EnumSet.of(Role.VIEWER, Role.EDITOR));
                case VIEWER -> grantable.add(Role.VIEWER);
                case AUDITOR -> grantable.add(Role.AUDITOR);
            }
        }
        return grantable;
    }
}
