-- The single-tenant schema Tessera's importer reads (./tessera import --from ...): the shape of the
-- system before Tessera, with no tenant_id anywhere. Column types differ on purpose, as they do in old
-- databases: serial ids and text ids, TIMESTAMP without zone (UTC by convention), TIMESTAMPTZ, and epoch
-- seconds in an INTEGER.
CREATE TABLE deployments (
    id           BIGSERIAL PRIMARY KEY,
    project_name VARCHAR(200) NOT NULL,
    status       VARCHAR(32)  NOT NULL,
    url          TEXT,
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP    NOT NULL
);

CREATE TABLE workflows (
    id         VARCHAR(40)  PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    status     VARCHAR(32)  NOT NULL,
    config     TEXT,
    created_at TIMESTAMPTZ  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      VARCHAR(254) NOT NULL,
    role       VARCHAR(32)  NOT NULL,
    created_at INTEGER      NOT NULL
);
