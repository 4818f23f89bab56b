package io.tessera.command.auth;

import io.tessera.infra.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cursor of {@code GET /api/auth/clients}: the last client id of a page, base64url. A client id starts with its
 * tenant, so a cursor of another tenant's list is recognised and refused (400), never followed.
 */
final class ClientCursor {

    private static final int MAX_LENGTH = 256;

    private ClientCursor() {}

    static String encode(String lastClientId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastClientId.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor, String tenantId) {
        try {
            if (cursor.length() <= MAX_LENGTH) {
                String lastClientId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (lastClientId.startsWith(tenantId + ".") && lastClientId.length() > tenantId.length() + 1) {
                    return lastClientId;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.validation("cursor: not a cursor of this tenant's client list");
    }
}
