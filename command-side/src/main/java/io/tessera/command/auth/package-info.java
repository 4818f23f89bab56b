/**
 * Tokens for upstream systems: per-tenant client credentials, registered by an admin with at most its own roles
 * (the secret shown once, stored as its SHA-256), listed and revoked by the tenant's admins, each registration and
 * revocation an audited event of the tenant. {@code POST /oauth2/token} is RFC 6749's client credentials grant,
 * minting short-lived HS256 access tokens with infra's {@link io.tessera.infra.security.TokenIssuer}; the first
 * version's {@code /api/auth/token} and {@code /api/auth/refresh} stay for their callers, with opaque refresh tokens
 * stored as SHA-256 and rotated on every use (a spent one presented again revokes its whole family). Only with
 * {@code TESSERA_JWT_SECRET}; with an external RS256 identity provider the endpoints answer 404.
 */
package io.tessera.command.auth;
