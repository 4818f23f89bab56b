-- Where the unsigned events of before signing end on tessera.events: per partition, the end offset (the offset the
-- next record would get) seen the first time the query side started with tessera.events.unsigned-until set
-- (io.tessera.query.projection.UnsignedGrace). An unsigned record is applied only below its partition's offset
-- here: the broker assigns offsets, so a record written later cannot claim to be old. Written once, never moved
-- up; no row for a partition: no unsigned record of it is applied.
-- Numbered 20.16 so that another change's migrations do not collide with it.
CREATE TABLE unsigned_grace (
    topic_partition INTEGER PRIMARY KEY CHECK (topic_partition >= 0),
    end_offset BIGINT NOT NULL CHECK (end_offset >= 0),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- No tenant column: guarded by grants. The projector reads and records it; nobody updates or deletes a row.
GRANT SELECT, INSERT ON unsigned_grace TO tessera_query_projector;
