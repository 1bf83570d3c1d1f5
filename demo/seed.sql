-- Demo data for the local Partnero-compatible API, applied by `npm start` on every start.
-- Idempotent: customers and transactions have unique keys (INSERT OR IGNORE), and rows without
-- a natural key (clicks, credits, invites) are inserted only when their fixed timestamp is new.
-- Rewards follow the default REWARD_RULE "percent:10".
--
--   alice  referrer: dave and erin (erin archived); 5 clicks; balance 26.55 USD + 100 points
--   bob    referrer: frank; 2 clicks; balance 8 EUR
--   carol  referrer: grace (who has not bought yet); a second referral link, ?ref=carol-friends
--
-- Every customer's default referral link (?ref=<key>) is created with it by a trigger
-- (migration 0002), so only extra links appear here.

INSERT OR IGNORE INTO customers (id, key, email, name, surname, status, created_at, updated_at) VALUES
  ('alice', 'alice', 'alice@example.com', 'Alice', 'Brown', 'active', '2025-05-01T09:00:00.000000Z', '2025-05-01T09:00:00.000000Z'),
  ('bob', 'bob', 'bob@example.com', 'Bob', 'Stone', 'active', '2025-05-01T09:05:00.000000Z', '2025-05-01T09:05:00.000000Z'),
  ('carol', 'carol', 'carol@example.com', 'Carol', 'White', 'active', '2025-05-01T09:10:00.000000Z', '2025-05-01T09:10:00.000000Z');

WITH v (id, email, name, surname, status, referrer, created_at) AS (VALUES
  ('dave', 'dave@example.com', 'Dave', 'Miller', 'active', 'alice', '2025-05-02T10:00:00.000000Z'),
  ('erin', 'erin@example.com', 'Erin', 'Clark', 'deleted', 'alice', '2025-05-03T11:30:00.000000Z'),
  ('frank', 'frank@example.com', 'Frank', 'Young', 'active', 'bob', '2025-05-04T14:15:00.000000Z'),
  ('grace', 'grace@example.com', 'Grace', 'Hall', 'active', 'carol', '2025-05-05T16:45:00.000000Z'))
INSERT OR IGNORE INTO customers (id, key, email, name, surname, status, referring_customer_pk, created_at, updated_at)
SELECT v.id, v.id, v.email, v.name, v.surname, v.status, r.pk, v.created_at, v.created_at
FROM v JOIN customers r ON r.key = v.referrer ORDER BY v.created_at;

-- carol's additional link: attributes signups and counts clicks like her default one.
INSERT OR IGNORE INTO referral_links (id, key, customer_pk, is_default, is_additional, created_at, updated_at)
SELECT 'rl_seed_carol_friends', 'carol-friends', pk, 0, 1, '2025-05-01T09:20:00.000000Z', '2025-05-01T09:20:00.000000Z'
FROM customers WHERE key = 'carol';

WITH v (key, url, created_at) AS (VALUES
  ('alice', 'http://localhost:8787/demo/?ref=alice', '2025-05-01T12:00:00.000000Z'),
  ('alice', 'http://localhost:8787/demo/?ref=alice', '2025-05-01T15:20:00.000000Z'),
  ('alice', 'http://localhost:8787/demo/?ref=alice', '2025-05-02T08:40:00.000000Z'),
  ('alice', 'http://localhost:8787/demo/?ref=alice', '2025-05-02T09:55:00.000000Z'),
  ('alice', 'http://localhost:8787/demo/?ref=alice', '2025-05-03T11:10:00.000000Z'),
  ('bob', 'http://localhost:8787/demo/?ref=bob', '2025-05-04T13:00:00.000000Z'),
  ('bob', 'http://localhost:8787/demo/?ref=bob', '2025-05-04T14:00:00.000000Z'))
INSERT INTO clicks (customer_pk, url, created_at)
SELECT c.pk, v.url, v.created_at
FROM v JOIN customers c ON c.key = v.key
WHERE NOT EXISTS (SELECT 1 FROM clicks x WHERE x.customer_pk = c.pk AND x.created_at = v.created_at)
ORDER BY v.created_at;

-- Purchases by referred customers; the reward is 10% of the amount, in its currency.
WITH v (key, buyer, amount_e4, units, created_at) AS (VALUES
  ('seed_tx_dave_1', 'dave', 1200000, 'USD', '2025-05-06T10:00:00.000000Z'),
  ('seed_tx_erin_1', 'erin', 455000, 'USD', '2025-05-07T12:00:00.000000Z'),
  ('seed_tx_frank_1', 'frank', 800000, 'EUR', '2025-05-08T18:30:00.000000Z'))
INSERT OR IGNORE INTO transactions
  (key, customer_pk, referring_customer_pk, amount_e4, amount_units, action, reward_amount_e4, reward_units, reward_is_currency, created_at, updated_at)
SELECT v.key, b.pk, b.referring_customer_pk, v.amount_e4, v.units, 'sale', v.amount_e4 / 10, v.units, 1, v.created_at, v.created_at
FROM v JOIN customers b ON b.key = v.buyer
WHERE b.referring_customer_pk IS NOT NULL ORDER BY v.created_at;

-- The rewards those purchases earned (at most one per purchase: unique index).
INSERT OR IGNORE INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, transaction_pk, created_at)
SELECT t.referring_customer_pk, t.reward_amount_e4, t.reward_units, 1, 'reward', t.pk, t.created_at
FROM transactions t
WHERE t.key IN ('seed_tx_dave_1', 'seed_tx_erin_1', 'seed_tx_frank_1') AND t.referring_customer_pk IS NOT NULL;

-- Manual credits for alice: 10 USD and 100 loyalty points.
WITH v (key, amount_e4, units, is_currency, created_at) AS (VALUES
  ('alice', 100000, 'USD', 1, '2025-05-09T09:00:00.000000Z'),
  ('alice', 1000000, 'points', 0, '2025-05-09T09:01:00.000000Z'))
INSERT INTO balance_entries (customer_pk, amount_e4, amount_units, is_currency, source, created_at)
SELECT c.pk, v.amount_e4, v.units, v.is_currency, 'credit', v.created_at
FROM v JOIN customers c ON c.key = v.key
WHERE NOT EXISTS (
  SELECT 1 FROM balance_entries x WHERE x.customer_pk = c.pk AND x.source = 'credit' AND x.created_at = v.created_at
);

INSERT INTO invites (email, name, personalization, created_at)
SELECT 'jane@example.com', 'Jane', '{"message":"Alice thinks you will like this"}', '2025-05-09T10:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM invites WHERE email = 'jane@example.com' AND created_at = '2025-05-09T10:00:00.000000Z');
