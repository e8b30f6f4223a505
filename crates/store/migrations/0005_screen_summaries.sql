-- Schema 5: the fields the screens list and count of each live order and milestone, as columns (issue 19
-- §4). A screen that lists 10,000 orders read each order's whole JSON (2.4 kB) to show seven of
-- its fields: 8 to 15 times a raw scan of the same rows. These tables hold those fields, kept by
-- the triggers below at every write of `record` (a pulled page, a local change, a rebase, a
-- wipe): no write path can forget them. Whole records are still read from `record` where a
-- screen shows one record in full.
--
-- The JSON paths are the serde names of `centrale_domain::order::Order` and
-- `centrale_domain::deployment::Milestone`; `read::summary`'s tests check every column against
-- the record decoded by the domain's types, so a renamed field fails a test.

-- One row per live order. Keyed by commune first: a commune's PC reads its own orders as one
-- range (the centrale's PC reads them all).
-- Columns other than the keys may be NULL: a body of an unexpected shape must not stop a sync;
-- the screen reading it then says the local data is unreadable, as it did for a bad body.
CREATE TABLE order_summary (
    commune_nis       TEXT NOT NULL,
    id                TEXT NOT NULL,
    service_id        TEXT,
    title             TEXT,
    status            TEXT,
    created_at        TEXT,
    submitted_at      TEXT,
    deadline          TEXT,
    award_provider_id TEXT,
    pool_id           TEXT,
    framework_id      TEXT,
    award_excl_vat    INTEGER,
    award_vat         INTEGER,
    award_incl_vat    INTEGER,
    awarded_at        TEXT,
    pending           INTEGER NOT NULL,
    PRIMARY KEY (commune_nis, id)
) WITHOUT ROWID;

-- One row per live milestone, by commune then order: a screen reads the milestones of the
-- orders it shows as one range, not one query per order.
CREATE TABLE milestone_summary (
    commune_nis     TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    id              TEXT NOT NULL,
    kind            TEXT,
    planned_date    TEXT,
    actual_date     TEXT,
    baseline_date   TEXT,
    lead_time_days  INTEGER,
    notes           TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    replans         TEXT,
    pending         INTEGER NOT NULL,
    PRIMARY KEY (commune_nis, order_id, id)
) WITHOUT ROWID;

-- The triggers read the new row's own body (not the table again: a pulled page writes 100,000
-- of them). Each kind's paths are written twice, in its insert and its update trigger; the
-- tests write through both.
CREATE TRIGGER order_summary_inserted AFTER INSERT ON record
    WHEN new.kind = 'order' AND new.deleted = 0
BEGIN
    INSERT OR REPLACE INTO order_summary VALUES (
            coalesce(new.commune_nis, ''), new.id,
            new.body ->> '$.service_id', new.body ->> '$.title', new.body ->> '$.status',
            new.body ->> '$.created_at', new.body ->> '$.submitted_at',
            new.body ->> '$.competition.deadline', new.body ->> '$.award.provider_id',
            new.body ->> '$.pool_id', new.body ->> '$.framework_id',
            new.body ->> '$.award.amount.excl_vat', new.body ->> '$.award.amount.vat',
            new.body ->> '$.award.amount.incl_vat', new.body ->> '$.award.awarded_at',
            new.pending);
END;

CREATE TRIGGER order_summary_updated AFTER UPDATE OF deleted, body, commune_nis, pending
    ON record WHEN new.kind = 'order'
BEGIN
    DELETE FROM order_summary WHERE commune_nis = coalesce(old.commune_nis, '') AND id = old.id;
    INSERT OR REPLACE INTO order_summary SELECT
            coalesce(new.commune_nis, ''), new.id,
            new.body ->> '$.service_id', new.body ->> '$.title', new.body ->> '$.status',
            new.body ->> '$.created_at', new.body ->> '$.submitted_at',
            new.body ->> '$.competition.deadline', new.body ->> '$.award.provider_id',
            new.body ->> '$.pool_id', new.body ->> '$.framework_id',
            new.body ->> '$.award.amount.excl_vat', new.body ->> '$.award.amount.vat',
            new.body ->> '$.award.amount.incl_vat', new.body ->> '$.award.awarded_at',
            new.pending
        WHERE new.deleted = 0;
END;

CREATE TRIGGER order_summary_deleted AFTER DELETE ON record WHEN old.kind = 'order'
BEGIN
    DELETE FROM order_summary WHERE commune_nis = coalesce(old.commune_nis, '') AND id = old.id;
END;

CREATE TRIGGER milestone_summary_inserted AFTER INSERT ON record
    WHEN new.kind = 'milestone' AND new.deleted = 0
BEGIN
    INSERT OR REPLACE INTO milestone_summary VALUES (
            coalesce(new.commune_nis, ''), coalesce(new.parent_id, ''), new.id,
            new.body ->> '$.kind', new.body ->> '$.planned_date', new.body ->> '$.actual_date',
            new.body ->> '$.baseline_date', new.body ->> '$.lead_time_days',
            coalesce(new.body ->> '$.notes', ''), new.body ->> '$.acknowledged_at',
            new.body ->> '$.acknowledged_by', coalesce(new.body -> '$.replans', '[]'),
            new.pending);
END;

CREATE TRIGGER milestone_summary_updated AFTER UPDATE OF deleted, body, commune_nis, parent_id,
    pending ON record WHEN new.kind = 'milestone'
BEGIN
    DELETE FROM milestone_summary
        WHERE commune_nis = coalesce(old.commune_nis, '')
          AND order_id = coalesce(old.parent_id, '') AND id = old.id;
    INSERT OR REPLACE INTO milestone_summary SELECT
            coalesce(new.commune_nis, ''), coalesce(new.parent_id, ''), new.id,
            new.body ->> '$.kind', new.body ->> '$.planned_date', new.body ->> '$.actual_date',
            new.body ->> '$.baseline_date', new.body ->> '$.lead_time_days',
            coalesce(new.body ->> '$.notes', ''), new.body ->> '$.acknowledged_at',
            new.body ->> '$.acknowledged_by', coalesce(new.body -> '$.replans', '[]'),
            new.pending
        WHERE new.deleted = 0;
END;

CREATE TRIGGER milestone_summary_deleted AFTER DELETE ON record WHEN old.kind = 'milestone'
BEGIN
    DELETE FROM milestone_summary
        WHERE commune_nis = coalesce(old.commune_nis, '')
          AND order_id = coalesce(old.parent_id, '') AND id = old.id;
END;

-- The records already on this PC: rewritten in place, which runs the update triggers.
UPDATE record SET body = body WHERE kind IN ('order', 'milestone');
