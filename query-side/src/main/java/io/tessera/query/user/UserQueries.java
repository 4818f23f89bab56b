package io.tessera.query.user;

import io.tessera.infra.pii.PiiVault;
import io.tessera.query.cache.CacheKeys;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.Listing;
import io.tessera.query.paging.ListingQueries;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * Reads {@code users}, always by tenant first. The e-mail is stored sealed; it is opened after the cache,
 * outside the read transaction, so neither the cache nor the database session ever holds it in clear, and
 * once the tenant's keys are shredded it answers {@code null}. {@code q} searches the user id: a search
 * over the sealed e-mail would match base64 noise.
 */
@Component
class UserQueries {

    static final Listing LISTING =
            new Listing("users", "users", "tenant_id, id, email, role, created_at, version", "id", null);

    static final String EMAIL = "email";

    private final ListingQueries listings;
    private final QueryCache cache;
    private final PiiVault vault;

    UserQueries(ListingQueries listings, QueryCache cache, PiiVault vault) {
        this.cache = cache;
        this.listings = listings;
        this.vault = vault;
    }

    ListPage<UserView> list(String tenantId, ListRequest request, MinPosition atLeast) {
        ListPage<UserView> sealed = cache.get(
                QueryCache.USERS,
                tenantId,
                CacheKeys.list(LISTING.resource(), tenantId, request),
                atLeast,
                () -> listings.list(
                        LISTING, tenantId, request, UserQueries::view, u -> new Keyset(u.createdAt(), u.id())));
        return new ListPage<>(
                sealed.items().stream()
                        .map(user -> user.withEmail(vault.reveal(user.tenantId(), EMAIL, user.email())))
                        .toList(),
                sealed.pagination());
    }

    private static UserView view(ResultSet rs, int row) throws SQLException {
        return new UserView(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("email"),
                rs.getString("role"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getLong("version"));
    }
}
