/**
 * Which tenant a request acts for, resolved once per request from header, parameter, subdomain and
 * token, in the contract's order, and checked against what the token may act for. Fails closed: no
 * tenant, no answer.
 */
package io.tessera.infra.tenancy;
