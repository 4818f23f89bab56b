package io.tessera.infra.security;

import io.tessera.events.user.Role;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims of a validated token, read once. {@code importer} marks the token of {@code ./tessera import}: only
 * such a caller may use the import endpoints, whose commands bypass the creation quotas (SECURITY.md).
 */
public record Caller(
        String subject,
        String homeTenant,
        Set<Role> roles,
        Set<String> tenants,
        boolean platformAdmin,
        boolean importer) {

    public static final String TENANT_ID = "tenant_id";
    public static final String ROLES = "roles";
    public static final String TENANTS = "tenants";
    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String IMPORTER = "importer";

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        tenants = Set.copyOf(tenants);
    }

    public Caller(String subject, String homeTenant, Set<Role> roles, Set<String> tenants, boolean platformAdmin) {
        this(subject, homeTenant, roles, tenants, platformAdmin, false);
    }

    public static Caller from(Jwt jwt) {
        Set<Role> roles = stringsOf(jwt.getClaim(ROLES)).stream()
                .map(Role::fromJsonName)
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        return new Caller(
                jwt.getSubject(),
                jwt.getClaimAsString(TENANT_ID),
                roles,
                Set.copyOf(stringsOf(jwt.getClaim(TENANTS))),
                Boolean.TRUE.equals(jwt.getClaim(PLATFORM_ADMIN)),
                Boolean.TRUE.equals(jwt.getClaim(IMPORTER)));
    }

    public boolean mayActFor(String tenantId) {
        return tenantId.equals(homeTenant) || tenants.contains(tenantId);
    }

    public boolean has(Permission permission) {
        return permission.grantedToAny(roles);
    }

    private static List<String> stringsOf(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String value && !value.isBlank()) {
            return List.of(value.split("[ ,]+"));
        }
        return List.of();
    }
}
