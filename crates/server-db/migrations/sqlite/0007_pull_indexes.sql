-- Centrale server schema, version 7: a pull that costs what it returns (issue 19 §1).
--
-- A pull reads each visibility class the caller belongs to through its own index (public,
-- centrale, its commune, its provider) instead of one OR query that scans the change log after
-- the cursor: a no-change pull then costs a few index probes whatever the size of the log.
-- records_commune_seq and records_provider_seq (version 1) serve the commune and provider
-- classes; these two partial indexes serve the other two. The queries repeat the literal
-- predicates (`vis_public = 1`, `vis_centrale = 1`) so that both engines match the indexes.

CREATE INDEX records_public_seq ON records (seq) WHERE vis_public = 1;
CREATE INDEX records_centrale_seq ON records (seq) WHERE vis_centrale = 1;

-- The format version of each stored record's JSON body (per kind, see
-- `RecordKind::format_version`): a reader meeting a newer format than it knows can refuse it
-- instead of misreading it. Every record stored before this version is format 1.
ALTER TABLE records ADD COLUMN format_version BIGINT NOT NULL DEFAULT 1;
