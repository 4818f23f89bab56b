package io.tessera.command.auth;

import io.tessera.events.user.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A registered upstream system: what its access tokens say. Never a platform admin, never other tenants. */
record Client(String clientId, String tenantId, Set<Role> roles) {

    /** "<tenant>.<name>", both as registration allows them; anything else names no client and is never looked up. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}\\.[a-z0-9][a-z0-9_-]{0,62}");

    Client {
        roles = Set.copyOf(roles);
    }

    static boolean isWellFormedId(String clientId) {
        return clientId != null && ID.matcher(clientId).matches();
    }

    /** In the enum's order: what an event or an answer lists. */
    List<Role> sortedRoles() {
        return roles.stream().sorted().toList();
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
