-- Schema 4: the one-time code of a signing act (issue 17 point 9), sent with it and checked by
-- the server when it arrives (`centrale_domain::second_factor`). JSON `{code, typed_at}`; cleared
-- as soon as the server answers (a code serves once).
ALTER TABLE outbox ADD COLUMN second_factor TEXT;
