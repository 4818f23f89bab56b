package io.tessera.benchmarks.system;

import io.tessera.benchmarks.load.Zipf;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's tenants, a viewer and an editor token for each, and a platform admin's: tenant 0 is the
 * busiest under the Zipf choice. The noisy tenant of the soak test is one more, outside the Zipf mix.
 */
public final class Tenants {

    public static final String NOISY = "bench-noisy";

    private final String[] ids;
    private final String[] viewers;
    private final String[] editors;
    private final Zipf zipf;
    private final String admin;
    private final String noisyViewer;

    Tenants(int count, double zipfExponent, TokenIssuer issuer) {
        ids = new String[count];
        viewers = new String[count];
        editors = new String[count];
        Duration ttl = Duration.ofHours(3);
        for (int i = 0; i < count; i++) {
            ids[i] = String.format(Locale.ROOT, "bench-%04d", i);
            viewers[i] = issuer.issue("bench-viewer", ids[i], Set.of(Role.VIEWER), Set.of(), false, ttl);
            editors[i] = issuer.issue("bench-editor", ids[i], Set.of(Role.EDITOR), Set.of(), false, ttl);
        }
        zipf = new Zipf(count, zipfExponent);
        admin = issuer.issue("bench-admin", "platform", Set.of(Role.VIEWER), Set.of(), true, ttl);
        noisyViewer = issuer.issue("bench-noisy", NOISY, Set.of(Role.VIEWER), Set.of(), false, ttl);
    }

    public int count() {
        return ids.length;
    }

    public String id(int tenant) {
        return ids[tenant];
    }

    public String viewer(int tenant) {
        return viewers[tenant];
    }

    public String editor(int tenant) {
        return editors[tenant];
    }

    public String admin() {
        return admin;
    }

    public String noisyViewer() {
        return noisyViewer;
    }

    /** A tenant drawn by Zipf: 0 the most often. */
    public int skewed() {
        return zipf.next();
    }

    public Zipf zipf() {
        return zipf;
    }
}
