/**
 * Health checks that answer within a bound: a dependency that hangs (a frozen link, a stuck server) makes its
 * check DOWN after the bound instead of holding the health endpoint, and a load balancer's probe, with it.
 */
package io.tessera.infra.health;
