/** S4, the mixed soak with one noisy tenant beyond its rate limit beside the quiet ones. */
package io.tessera.benchmarks.soak;
