// A host site on Express that embeds the referral widget: a login, a signup form whose
// backend attributes the new customer to their referrer, an account page with the widget,
// and the token endpoint the widget calls. Plain JavaScript for Node >= 20; one dependency.
//
//   node examples/express/server.js        (from the repository, after npm install)
//   npm install && npm start                (in a copy of this folder)
//
// Settings (environment): see README.md beside this file.
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
// Copy shared/referral-token.js from the widget's repository next to this file in your own app.
import { mintCustomerToken, signupCustomer } from '../../shared/referral-token.js';

const PORT = Number(process.env.PORT ?? 3000);
// Where browsers load widget.js and attribution.js from (the referral worker).
const WORKER_URL = (process.env.REFERRAL_WORKER_URL ?? 'http://localhost:8787').replace(/\/$/, '');
// Where this server calls the worker (server to server); the same URL unless your network differs.
const API_URL = (process.env.REFERRAL_API_URL ?? WORKER_URL).replace(/\/$/, '');
// The parent domain your landing pages and this app share (attribution.js data-domain), if any.
const COOKIE_DOMAIN = process.env.COOKIE_DOMAIN ?? '';
// The worker's TOKEN_SECRET. Unset: the public dev secret that only `npm start`'s worker accepts.
const DEV_SECRET = 'dev-only-token-secret-do-not-use-in-production';
const TOKEN_SECRET = process.env.REFERRAL_TOKEN_SECRET ?? DEV_SECRET;
if (TOKEN_SECRET === DEV_SECRET) {
  if (process.env.NODE_ENV === 'production') throw new Error('Set REFERRAL_TOKEN_SECRET to the worker\'s TOKEN_SECRET.');
  console.warn('REFERRAL_TOKEN_SECRET is not set: using the dev secret of `npm start` (local only).');
}

// Your user table. `id` is the customer key in the Partnero program; `createdAt` is seconds.
const users = new Map([
  ['alice', { id: 'alice', email: 'alice@example.com', name: 'Alice', password: 'alice', createdAt: 1746090000 }],
  // An existing user who has never joined the referral program: the widget invites her to.
  ['dana', { id: 'dana', email: 'dana@example.com', name: 'Dana', password: 'dana', createdAt: 1735689600 }],
]);
const sessions = new Map(); // session id -> { userId, notice }

/** A customer token for `user`: what the widget and POST /api/signup believe. */
function tokenFor(user) {
  return mintCustomerToken({ secret: TOKEN_SECRET, sub: user.id, email: user.email, name: user.name, createdAt: user.createdAt });
}

const app = express();
app.use(express.urlencoded({ extended: false }));

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function cookies(req) {
  const jar = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    try {
      if (at > 0) jar[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A malformed cookie is skipped, not a 500.
    }
  }
  return jar;
}
const attribution = `<script src="${WORKER_URL}/attribution.js"${COOKIE_DOMAIN ? ` data-domain="${esc(COOKIE_DOMAIN)}"` : ''}></script>`;
const page = (title, body, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${esc(title)} · Acme</title>${head}</head>` +
  `<body><nav><a href="/">Home</a> <a href="/signup">Sign up</a> <a href="/account">Account</a></nav><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

function session(req) {
  const state = sessions.get(cookies(req).sid);
  return state && { state, user: users.get(state.userId) };
}
function signIn(res, user, notice = '') {
  const sid = randomBytes(24).toString('base64url');
  sessions.set(sid, { userId: user.id, notice });
  res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax', path: '/' });
}

// A landing page: attribution.js remembers ?ref= in the partnero_referral cookie.
app.get('/', (req, res) => res.send(page('Acme Roasters', '<p><a href="/signup">Create an account</a> or <a href="/login">sign in</a>.</p>', attribution)));

app.get('/signup', (req, res) =>
  res.send(page('Sign up', `<form method="post" action="/signup">
    <label>Email <input name="email" type="email" required></label>
    <label>Name <input name="name" required></label>
    <label>Password <input name="password" type="password" required></label>
    <input type="hidden" name="referral_key" data-partnero-referral>
    <button>Sign up</button></form>`, attribution)),
);

app.post('/signup', async (req, res) => {
  const { email, name, password } = req.body;
  if (!email || !name || !password) return res.status(400).send(page('Sign up', '<p>Email, name and password are required.</p>'));
  const user = { id: `u-${randomUUID().slice(0, 8)}`, email, name, password, createdAt: Math.floor(Date.now() / 1000) };
  users.set(user.id, user);
  // The signup hook: the cookie (or the form field attribution.js filled) names the referrer.
  const referralKey = cookies(req).partnero_referral || req.body.referral_key || null;
  const referral = await signupCustomer({ workerUrl: API_URL, token: await tokenFor(user), referralKey });
  if (!referral.ok) console.error(`POST /api/signup: ${referral.status} ${referral.code} ${referral.reason ?? ''} ${referral.message}`);
  else if (referral.dropped) console.warn(`referral ${referral.dropped.referral_key} not honoured (${referral.dropped.code}): signed up unattributed`);
  signIn(res, user, referral.ok ? `Welcome! Referred by ${referral.referred_by ?? 'nobody'}.` : 'Welcome!');
  res.redirect(303, '/account');
});

app.get('/login', (req, res) =>
  res.send(page('Sign in', `<form method="post" action="/login">
    <label>Email <input name="email" type="email" required></label>
    <label>Password <input name="password" type="password" required></label>
    <button>Sign in</button></form><p>Try alice@example.com / alice, or dana@example.com / dana.</p>`)),
);

app.post('/login', (req, res) => {
  const user = [...users.values()].find((u) => u.email === req.body.email && u.password === req.body.password);
  if (!user) return res.status(401).send(page('Sign in', '<p>Wrong email or password. <a href="/login">Try again</a>.</p>'));
  signIn(res, user);
  res.redirect(303, '/account');
});

// The account page: the widget, loaded from the worker, asks /referral-token for its token.
app.get('/account', (req, res) => {
  const current = session(req);
  if (!current?.user) return res.redirect(303, '/login');
  const notice = current.state.notice;
  current.state.notice = '';
  res.send(page('Your account', `<p>Signed in as ${esc(current.user.email)}.</p>
    ${notice ? `<p role="status" data-testid="notice">${esc(notice)}</p>` : ''}
    <h2>Refer a friend</h2><div id="referrals"></div>
    <script src="${WORKER_URL}/widget.js" data-token-url="/referral-token" data-target="#referrals"></script>`));
});

// The token endpoint: a short-lived token for the signed-in customer, never cached.
app.get('/referral-token', async (req, res) => {
  const user = session(req)?.user;
  res.set('Cache-Control', 'private, no-store');
  if (!user) return res.status(401).json({ error: 'signed out' });
  res.json({ token: await tokenFor(user) });
});

app.listen(PORT, process.env.HOST, () => {
  console.log(`Example host on http://localhost:${PORT} (widget from ${WORKER_URL})`);
  console.log(`The worker must allow this origin: npm start -- --allow-origin http://localhost:${PORT}`);
});
