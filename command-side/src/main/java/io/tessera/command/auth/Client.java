package io.tessera.command.auth;

import io.tessera.events.user.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A registered upstream system: what its access tokens say. Never a platform admin, never other tenants. */
record Client(String clientId, String tenantId, Set<Role> roles) {

    Client {
        roles = Set.copyOf(roles);
    }

    String rolesColumn() {
        return roles.stream().map(Role::jsonName).sorted().collect(Collectors.joining(","));
    }

    static Set<Role> rolesOf(String column) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(column.split(","))
                .map(Role::fromJsonName)
                .flatMap(Optional::stream)
                .forEach(roles::add);
        return roles;
    }
}
