package io.tessera.query.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListFilter;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.PageSpec;
import io.tessera.query.paging.SortOrder;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final Instant T = Instant.parse("2024-03-01T00:00:00Z");

    @Test
    void listKeysFollowTheSpecScheme() {
        ListRequest request = new ListRequest(
                new ListFilter("active", null, null, null, SortOrder.NEWEST_FIRST), new PageSpec.Numbered(2, 50));

        assertThat(CacheKeys.list("deployments", "acme", request))
                .isEqualTo("deployments:tenant:acme:page:2:per_page:50:status:active:q:~"
                        + ":created_after:~:created_before:~:sort:-created_at");
        assertThat(CacheKeys.stats("acme")).isEqualTo("tenant:acme:stats");
        assertThat(CacheKeys.item("deployments", "acme", "dep-1")).isEqualTo("deployments:tenant:acme:id:dep-1");
    }

    @Test
    void everyFilterPageAndTenantMakesItsOwnKey() {
        PageSpec first = new PageSpec.Numbered(1, 50);
        List<String> keys = List.of(
                CacheKeys.list("deployments", "acme", new ListRequest(ListFilter.none(), first)),
                CacheKeys.list("deployments", "other", new ListRequest(ListFilter.none(), first)),
                CacheKeys.list("workflows", "acme", new ListRequest(ListFilter.none(), first)),
                CacheKeys.list("deployments", "acme", new ListRequest(ListFilter.none(), new PageSpec.Numbered(2, 50))),
                CacheKeys.list("deployments", "acme", new ListRequest(ListFilter.none(), new PageSpec.Numbered(1, 10))),
                CacheKeys.list(
                        "deployments", "acme", new ListRequest(ListFilter.none(), new PageSpec.Continued(null, 50))),
                CacheKeys.list(
                        "deployments",
                        "acme",
                        new ListRequest(ListFilter.none(), new PageSpec.Continued(new Keyset(T, "d1"), 50))),
                CacheKeys.list("deployments", "acme", request("pending", null, null, null, SortOrder.NEWEST_FIRST)),
                CacheKeys.list("deployments", "acme", request(null, "shop", null, null, SortOrder.NEWEST_FIRST)),
                CacheKeys.list("deployments", "acme", request(null, null, T, null, SortOrder.NEWEST_FIRST)),
                CacheKeys.list("deployments", "acme", request(null, null, null, T, SortOrder.NEWEST_FIRST)),
                CacheKeys.list("deployments", "acme", request(null, null, null, null, SortOrder.OLDEST_FIRST)),
                CacheKeys.item("deployments", "acme", "page"),
                CacheKeys.stats("acme"),
                CacheKeys.stats("other"));

        assertThat(new HashSet<>(keys)).hasSize(keys.size());
        assertThat(keys.subList(0, 13)).allSatisfy(key -> assertThat(key).contains(":tenant:"));
    }

    @Test
    void separatorsInsideValuesCannotForgeAnotherFilterOrTenant() {
        String forged = CacheKeys.list(
                "deployments", "acme", request(null, "x:created_after:" + T, null, null, SortOrder.NEWEST_FIRST));
        String genuine = CacheKeys.list("deployments", "acme", request(null, "x", T, null, SortOrder.NEWEST_FIRST));
        String absentQ = CacheKeys.list("deployments", "acme", request(null, null, null, null, SortOrder.NEWEST_FIRST));
        String tildeQ = CacheKeys.list("deployments", "acme", request(null, "~", null, null, SortOrder.NEWEST_FIRST));

        assertThat(Set.of(forged, genuine)).hasSize(2);
        assertThat(absentQ).isNotEqualTo(tildeQ);
        assertThat(CacheKeys.stats("a:stats")).isNotEqualTo(CacheKeys.stats("a"));
        assertThat(CacheKeys.item("deployments", "a:id:b", "c"))
                .isNotEqualTo(CacheKeys.item("deployments", "a", "b:id:c"));
    }

    private static ListRequest request(String status, String q, Instant after, Instant before, SortOrder sort) {
        return new ListRequest(new ListFilter(status, q, after, before, sort), new PageSpec.Numbered(1, 50));
    }
}
