/** S3, replay: a full rebuild of a read table from the event log, beside a raw read-and-insert of that log. */
package io.tessera.benchmarks.replay;
