-- Schema 6: each order's milestones' dates in one row (issue 19 §4). The home, the orders list
-- and the Déploiement screen need, for every running order, its milestones' kinds and dates
-- (its next step, its progress, how late it is). Read from `milestone_summary` that was one
-- row per milestone, seven per order: half of those screens' read. Here SQLite keeps them
-- joined, one text per order, at every write of `milestone_summary` (whose own triggers follow
-- every write of `record`): a list reads one row per order.
--
-- `dates`: the order's milestones in key (id) order, separated by `;`, each written
-- `kind planned_date actual_date` (serde's names and days; `-` for no actual date). A missing
-- kind or planned date is written `?`, so that the screen reading it says the local data is
-- unreadable instead of skipping a milestone.
CREATE TABLE milestone_dates (
    commune_nis TEXT NOT NULL,
    order_id    TEXT NOT NULL,
    dates       TEXT NOT NULL,
    PRIMARY KEY (commune_nis, order_id)
) WITHOUT ROWID;

-- What `milestone_dates` holds, computed from `milestone_summary`: written once, read by the
-- triggers and the fill below. A condition on the key reaches into the grouping (SQLite
-- pushes it down): a trigger reads one order's milestones, not the table.
CREATE VIEW milestone_dates_of AS
    SELECT commune_nis, order_id, group_concat(coalesce(kind, '?') || ' ' ||
            coalesce(planned_date, '?') || ' ' || coalesce(actual_date, '-'), ';') AS dates
        FROM milestone_summary
        GROUP BY commune_nis, order_id;

-- Each trigger deletes the order's row and inserts it again from the table as it now is, never
-- `INSERT OR REPLACE`: a trigger's conflict clause gives way to the statement that fired it,
-- and an upsert of `record` (a pulled page) makes it an abort. The order's row is dropped with
-- its last milestone (the view then has no row for it).
CREATE TRIGGER milestone_dates_inserted AFTER INSERT ON milestone_summary
BEGIN
    DELETE FROM milestone_dates
        WHERE commune_nis = new.commune_nis AND order_id = new.order_id;
    INSERT INTO milestone_dates SELECT * FROM milestone_dates_of
        WHERE commune_nis = new.commune_nis AND order_id = new.order_id;
END;

CREATE TRIGGER milestone_dates_deleted AFTER DELETE ON milestone_summary
BEGIN
    DELETE FROM milestone_dates
        WHERE commune_nis = old.commune_nis AND order_id = old.order_id;
    INSERT INTO milestone_dates SELECT * FROM milestone_dates_of
        WHERE commune_nis = old.commune_nis AND order_id = old.order_id;
END;

-- Schema 5's triggers delete and insert; an update in place is followed all the same.
CREATE TRIGGER milestone_dates_updated AFTER UPDATE ON milestone_summary
BEGIN
    DELETE FROM milestone_dates
        WHERE (commune_nis = old.commune_nis AND order_id = old.order_id)
           OR (commune_nis = new.commune_nis AND order_id = new.order_id);
    INSERT INTO milestone_dates SELECT * FROM milestone_dates_of
        WHERE (commune_nis = old.commune_nis AND order_id = old.order_id)
           OR (commune_nis = new.commune_nis AND order_id = new.order_id);
END;

-- The milestones already on this PC.
INSERT INTO milestone_dates SELECT * FROM milestone_dates_of;
