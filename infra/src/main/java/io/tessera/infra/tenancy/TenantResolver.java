package io.tessera.infra.tenancy;

import io.tessera.infra.security.Caller;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contract's order: {@code X-Tenant-ID}, then {@code tenant_id} parameter, then the subdomain of
 * {@code Host} (not www/api), then the token's home tenant. A named tenant the token may not act for is
 * refused the same way whether it exists or not.
 */
public final class TenantResolver {

    public static final String HEADER = "X-Tenant-ID";
    public static final String PARAMETER = "tenant_id";
    private static final Set<String> NOT_TENANTS = Set.of("www", "api");
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|\\[.*]");

    private TenantResolver() {}

    public static String resolve(String header, String parameter, String host, Caller caller) {
        String named = firstNonBlank(header, parameter, subdomainOf(host));
        if (named == null) {
            return caller.homeTenant();
        }
        String tenantId = named.trim().toLowerCase(Locale.ROOT);
        if (!TENANT_ID.matcher(tenantId).matches() || !caller.mayActFor(tenantId)) {
            throw new ApiException(ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        }
        return tenantId;
    }

    public static boolean isValidTenantId(String tenantId) {
        return tenantId != null && TENANT_ID.matcher(tenantId).matches();
    }

    static String subdomainOf(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            return null;
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return null;
        }
        String[] labels = name.split("\\.");
        boolean hasSubdomain = labels.length >= 3 || (labels.length == 2 && labels[1].equals("localhost"));
        if (!hasSubdomain || NOT_TENANTS.contains(labels[0])) {
            return null;
        }
        return labels[0];
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
