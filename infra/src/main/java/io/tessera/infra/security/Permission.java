package io.tessera.infra.security;

import io.tessera.events.user.Role;
import java.util.EnumSet;
import java.util.Set;

/** What a role allows, per the contract: viewer reads; editor also writes; admin also manages users; auditor reads the logs. */
public enum Permission {
    READ(EnumSet.of(Role.VIEWER, Role.EDITOR, Role.ADMIN)),
    WRITE(EnumSet.of(Role.EDITOR, Role.ADMIN)),
    MANAGE_USERS(EnumSet.of(Role.ADMIN)),
    AUDIT(EnumSet.of(Role.AUDITOR));

    private final Set<Role> grantedTo;

    Permission(Set<Role> grantedTo) {
        this.grantedTo = grantedTo;
    }

    public boolean grantedToAny(Set<Role> roles) {
        return roles.stream().anyMatch(grantedTo::contains);
    }
}
