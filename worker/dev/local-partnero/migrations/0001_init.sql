-- Local Partnero-compatible API (worker/local-partnero): the refer-a-friend program's data.
-- Customers are referenced by an internal integer `pk`, so renaming a customer's key or id
-- never has to touch the rows that point at it.
-- Money is stored as integers in ten-thousandths (`*_e4`) so sums never drift.

CREATE TABLE IF NOT EXISTS customers (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL UNIQUE,
  email TEXT,
  name TEXT,
  surname TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
  approved INTEGER NOT NULL DEFAULT 1 CHECK (approved IN (0, 1)),
  referring_customer_pk INTEGER REFERENCES customers (pk) ON DELETE SET NULL,
  date_of_birth TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (referring_customer_pk IS NULL OR referring_customer_pk <> pk)
);
CREATE INDEX IF NOT EXISTS customers_referrer ON customers (referring_customer_pk);
CREATE INDEX IF NOT EXISTS customers_email ON customers (email COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS clicks (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_pk INTEGER NOT NULL REFERENCES customers (pk) ON DELETE CASCADE,
  url TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS clicks_customer ON clicks (customer_pk);

-- A purchase by a customer. `referring_customer_pk` is the buyer's referrer at purchase time:
-- the customer who earned `reward_*` (NULL when the buyer was not referred).
CREATE TABLE IF NOT EXISTS transactions (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  customer_pk INTEGER NOT NULL REFERENCES customers (pk) ON DELETE CASCADE,
  referring_customer_pk INTEGER REFERENCES customers (pk) ON DELETE SET NULL,
  amount_e4 INTEGER NOT NULL CHECK (amount_e4 > 0),
  amount_units TEXT NOT NULL,
  action TEXT NOT NULL,
  reward_amount_e4 INTEGER,
  reward_units TEXT,
  reward_is_currency INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_referrer ON transactions (referring_customer_pk);
CREATE INDEX IF NOT EXISTS transactions_customer ON transactions (customer_pk);

-- The reward balance is a ledger: manual credits and purchase rewards, summed per unit.
CREATE TABLE IF NOT EXISTS balance_entries (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_pk INTEGER NOT NULL REFERENCES customers (pk) ON DELETE CASCADE,
  amount_e4 INTEGER NOT NULL,
  amount_units TEXT NOT NULL,
  is_currency INTEGER NOT NULL CHECK (is_currency IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('credit', 'reward')),
  transaction_pk INTEGER REFERENCES transactions (pk) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS balance_entries_customer ON balance_entries (customer_pk);
-- One reward per purchase, even if a retried request raced with itself.
CREATE UNIQUE INDEX IF NOT EXISTS balance_entries_reward ON balance_entries (transaction_pk) WHERE source = 'reward';

CREATE TABLE IF NOT EXISTS invites (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  name TEXT,
  personalization TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
