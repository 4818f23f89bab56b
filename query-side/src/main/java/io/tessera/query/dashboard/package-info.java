/**
 * The dashboard page at {@code /}: static files (ES modules, no build step) under {@code classpath:/dashboard/},
 * served by the query side only, with a strict Content-Security-Policy.
 */
package io.tessera.query.dashboard;
