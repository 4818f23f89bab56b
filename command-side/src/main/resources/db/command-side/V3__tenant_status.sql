-- The lifecycle status of every tenant that ever left 'active' (no row: active), written by
-- io.tessera.command.intake.TenantGate in the transaction that stores TenantSuspended, TenantReactivated
-- or TenantOffboarded, and read by CommandExecutor under the tenant's advisory lock: the one cheap check
-- that also covers the commands of the child aggregates (deployments, workflows, users).
CREATE TABLE tenant_status (
    tenant_id  VARCHAR(64) NOT NULL,
    status     VARCHAR(16) NOT NULL CHECK (status IN ('active', 'suspended', 'offboarded')),
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);
