/**
 * Who is calling: bearer JWTs validated on every request (HS256 secret, or RS256 from an issuer's
 * JWKS), their claims read once into a {@link io.tessera.infra.security.Caller}, and the role-to-
 * permission table of the contract.
 */
package io.tessera.infra.security;
