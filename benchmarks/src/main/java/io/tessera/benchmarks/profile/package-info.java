/** Reading a JFR recording of a run: where the execution samples fall, by package and by Tessera entry point. */
package io.tessera.benchmarks.profile;
