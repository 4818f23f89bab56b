-- Client credentials of upstream systems and the refresh tokens issued to them (io.tessera.command.auth).
-- Neither a client secret nor a refresh token is ever stored: only a slow hash of the secret and the
-- SHA-256 of the token.

-- client_id is "<tenant>.<name>", so it is unique across tenants without one tenant learning another's names.
CREATE TABLE auth_client (
    client_id   VARCHAR(128) NOT NULL,
    tenant_id   VARCHAR(64)  NOT NULL,
    secret_hash VARCHAR(255) NOT NULL,
    roles       VARCHAR(255) NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ,
    PRIMARY KEY (client_id)
);

CREATE INDEX auth_client_by_tenant ON auth_client (tenant_id);

-- One family per client-credentials grant: every refresh token rotated from it. Revoking the family
-- (reuse of a spent token, client revoked) is one row, and every refresh locks this row first.
CREATE TABLE auth_token_family (
    family_id      UUID         NOT NULL,
    client_id      VARCHAR(128) NOT NULL REFERENCES auth_client (client_id),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ,
    revoked_reason VARCHAR(32),
    PRIMARY KEY (family_id)
);

CREATE INDEX auth_token_family_by_client ON auth_token_family (client_id);

CREATE TABLE auth_refresh_token (
    token_hash BYTEA       NOT NULL,
    family_id  UUID        NOT NULL REFERENCES auth_token_family (family_id),
    issued_at  TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (token_hash)
);

CREATE INDEX auth_refresh_token_by_family ON auth_refresh_token (family_id);
