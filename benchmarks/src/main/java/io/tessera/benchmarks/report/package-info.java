/** What a run found, and its three forms: the printed table, JSON, and Markdown with PNG plots. */
package io.tessera.benchmarks.report;
