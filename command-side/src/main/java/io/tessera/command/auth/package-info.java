/**
 * Tokens for upstream systems: per-tenant client credentials (the secret shown once, stored as a PBKDF2
 * hash), short-lived HS256 access tokens minted with infra's {@link io.tessera.infra.security.TokenIssuer},
 * and opaque refresh tokens stored as SHA-256, rotated on every use. A spent refresh token presented again
 * revokes its whole family: every token rotated from the same grant. Only with {@code TESSERA_JWT_SECRET};
 * with an external RS256 identity provider the endpoints answer 404.
 */
package io.tessera.command.auth;
