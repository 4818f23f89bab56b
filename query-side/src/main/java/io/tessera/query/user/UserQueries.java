package io.tessera.query.user;

import io.tessera.query.cache.CacheKeys;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.Listing;
import io.tessera.query.paging.ListingQueries;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/** Reads {@code users}, always by tenant first; {@code q} searches the e-mail. */
@Component
class UserQueries {

    static final Listing LISTING =
            new Listing("users", "users", "tenant_id, id, email, role, created_at, version", "email", null);

    private final ListingQueries listings;
    private final QueryCache cache;

    UserQueries(ListingQueries listings, QueryCache cache) {
        this.cache = cache;
        this.listings = listings;
    }

    ListPage<UserView> list(String tenantId, ListRequest request) {
        return cache.get(
                QueryCache.USERS,
                tenantId,
                CacheKeys.list(LISTING.resource(), tenantId, request),
                () -> listings.list(
                        LISTING, tenantId, request, UserQueries::view, u -> new Keyset(u.createdAt(), u.id())));
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
