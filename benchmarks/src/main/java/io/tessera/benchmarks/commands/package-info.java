/**
 * S2, commands at fixed concurrency beside a raw single-row INSERT that commits each row, and the projection
 * lag (S3) measured while they run.
 */
package io.tessera.benchmarks.commands;
