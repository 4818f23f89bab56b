package io.tessera.infra.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the {@code tenant} tag bounded: the first {@code cap} tenants seen keep their own value, every later
 * one is {@code other}. {@code none} (no tenant resolved) never takes a place. Micrometer maps each meter id
 * once, so this costs nothing per measurement. Callers tag a tenant only once it is authenticated and
 * authorized, so strangers cannot fill the places.
 */
public final class TenantTagCap implements MeterFilter {

    public static final String TAG = "tenant";
    public static final String OTHER = "other";
    public static final String NONE = "none";

    private final int cap;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public TenantTagCap(int cap) {
        this.cap = cap;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String tenant = id.getTag(TAG);
        if (tenant == null || admit(tenant)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.add(TAG.equals(tag.getKey()) ? Tag.of(TAG, OTHER) : tag);
        }
        return id.replaceTags(tags);
    }

    private boolean admit(String tenant) {
        if (NONE.equals(tenant) || OTHER.equals(tenant) || admitted.contains(tenant)) {
            return true;
        }
        synchronized (admitted) {
            if (admitted.size() < cap) {
                admitted.add(tenant);
                return true;
            }
            return admitted.contains(tenant);
        }
    }
}
