-- Local Partnero-compatible API, second step (issue 10): referral links as objects,
-- transactions as a resource (status, rewardable, idempotent keys), webhooks with a delivery log.
-- Applies on top of 0001 with its data: existing customers get their default link below.

-- A customer's referral links. Every link key attributes signups to its customer
-- (`referring_customer.key`), so link keys are unique across all customers. Each customer has
-- exactly one default link; the triggers below create it with the customer and let it follow
-- a key rename, so no code path (the API, demo/seed.sql, a test inserting rows) can forget it.
CREATE TABLE IF NOT EXISTS referral_links (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  key TEXT NOT NULL UNIQUE,
  customer_pk INTEGER NOT NULL REFERENCES customers (pk) ON DELETE CASCADE,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  is_additional INTEGER NOT NULL DEFAULT 0 CHECK (is_additional IN (0, 1)),
  -- Landing page the link points at; NULL: the program's REFERRAL_LINK_BASE.
  url TEXT,
  direct_tracking INTEGER NOT NULL DEFAULT 0 CHECK (direct_tracking IN (0, 1)),
  direct_tracking_redirect INTEGER NOT NULL DEFAULT 0 CHECK (direct_tracking_redirect IN (0, 1)),
  direct_tracking_redirect_url TEXT,
  domain_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS referral_links_customer ON referral_links (customer_pk);
-- One default link per customer, whatever races.
CREATE UNIQUE INDEX IF NOT EXISTS referral_links_default ON referral_links (customer_pk) WHERE is_default = 1;

INSERT OR IGNORE INTO referral_links (id, key, customer_pk, is_default, created_at, updated_at)
SELECT 'rl_' || lower(hex(randomblob(10))), c.key, c.pk, 1, c.created_at, c.created_at
FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM referral_links l WHERE l.customer_pk = c.pk AND l.is_default = 1);

-- The default link is born with the customer, in the same statement (a taken key fails both).
CREATE TRIGGER IF NOT EXISTS customers_default_link AFTER INSERT ON customers
BEGIN
  INSERT INTO referral_links (id, key, customer_pk, is_default, created_at, updated_at)
  VALUES ('rl_' || lower(hex(randomblob(10))), NEW.key, NEW.pk, 1, NEW.created_at, NEW.created_at);
END;

-- Renaming a customer's key renames the link that carried the old key (the default one, unless
-- it was re-keyed), so `?ref=<new key>` keeps working and the link in referral_link follows.
CREATE TRIGGER IF NOT EXISTS customers_rename_link AFTER UPDATE OF key ON customers
WHEN NEW.key <> OLD.key
BEGIN
  UPDATE referral_links SET key = NEW.key, updated_at = NEW.updated_at
  WHERE customer_pk = NEW.pk AND key = OLD.key;
END;

-- Transactions become a resource. `status` is `active` or `archived` (an archived transaction's
-- reward is taken out of the balance and comes back with revoke-archive); `rewardable = 0`
-- records a purchase that earns nothing. `create_nonce` tells the request that inserted a row
-- from a repeat of the same key (which answers the existing row and rewards nothing).
ALTER TABLE transactions ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived'));
ALTER TABLE transactions ADD COLUMN rewardable INTEGER NOT NULL DEFAULT 1 CHECK (rewardable IN (0, 1));
ALTER TABLE transactions ADD COLUMN product_id TEXT;
ALTER TABLE transactions ADD COLUMN product_type TEXT;
ALTER TABLE transactions ADD COLUMN create_nonce TEXT;
ALTER TABLE transactions ADD COLUMN updated_at TEXT;
ALTER TABLE transactions ADD COLUMN archived_at TEXT;
UPDATE transactions SET updated_at = created_at WHERE updated_at IS NULL;
CREATE INDEX IF NOT EXISTS transactions_status ON transactions (status);

-- Webhook subscriptions. `key` addresses one (GET/PUT/DELETE /webhooks/{key}); `secret` signs
-- every delivery (answered as `signature`, the name Partnero's clients read). `events` is a
-- JSON array of event names.
CREATE TABLE IF NOT EXISTS webhooks (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  name TEXT,
  url TEXT NOT NULL,
  events TEXT NOT NULL DEFAULT '[]',
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One delivery of one event to one subscription: the exact signed body, and how it went.
-- status: pending (queued), retrying (failed, will retry), delivered, failed (gave up).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  pk INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  webhook_pk INTEGER NOT NULL REFERENCES webhooks (pk) ON DELETE CASCADE,
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  response_status INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook ON webhook_deliveries (webhook_pk);
