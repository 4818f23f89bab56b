/**
 * Tessera's published language: the commands upstream systems send and the events Tessera publishes,
 * as immutable records whose JSON names are fixed here once, for Jackson 2 (Axon) and Jackson 3 (HTTP)
 * alike. Every command and event carries its tenant id as first component. A changed shape gets a new
 * version in {@link io.tessera.events.EventCatalog} and an upcaster, never a silent edit.
 */
package io.tessera.events;
