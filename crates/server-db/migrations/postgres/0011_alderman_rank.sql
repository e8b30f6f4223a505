-- The échevin's rank (1 = first échevin), the order of the pacte de majorité (CDLD L1123-8),
-- and whether of Belgian nationality: the bourgmestre empêché is replaced by the Belgian
-- échevin he delegated, failing that by the first in rank (L1123-5). Unknown until the
-- centrale records it (`centrale-server user set-alderman <login> oui --rang N`).
ALTER TABLE users ADD COLUMN alderman_rank BIGINT;
ALTER TABLE users ADD COLUMN alderman_belgian BIGINT NOT NULL DEFAULT 1;
