-- How a person is addressed: the gender of their title on what they sign (« directrice
-- générale »). Accounts created before read as 'unspecified' (the masculine form).
ALTER TABLE users ADD COLUMN gender TEXT NOT NULL DEFAULT 'unspecified';
