/** The data set, loaded through the command path (HTTP, commands, events, projections) and timed. */
package io.tessera.benchmarks.seeding;
