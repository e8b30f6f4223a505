-- An échevin's account (a member of the collège): only an échevin stands in for the
-- bourgmestre, as bourgmestre f.f. or échevin délégué (CDLD L1123-5, L1132-4). Accounts created
-- before are not échevins until the centrale says so (`centrale-server user set-alderman`).
ALTER TABLE users ADD COLUMN alderman BIGINT NOT NULL DEFAULT 0;
