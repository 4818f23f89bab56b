/**
 * How load is made and measured: an open loop at a fixed arrival rate that records latency from each
 * request's due time (no coordinated omission), a closed loop of N clients for capacity, Zipf choices, and the
 * HdrHistogram recording both produce.
 */
package io.tessera.benchmarks.load;
