-- The instances running a segmented tracking processor, each row refreshed every
-- tessera.publisher.balance-interval by io.tessera.command.publishing.SegmentBalancer (database clock).
-- A row older than tessera.publisher.node-timeout is an instance that is gone. Axon's token_entry only
-- knows instances that hold a claim; a new instance holds none, so it announces itself here.
-- (V4_1, not V4: another change's V4 cannot collide with it.)
CREATE TABLE processor_nodes (
    processor_name VARCHAR(255) NOT NULL,
    node_id        VARCHAR(255) NOT NULL,
    seen_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (processor_name, node_id)
);
