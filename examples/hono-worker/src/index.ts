/**
 * A host site as a Worker: a login, a signup form whose handler attributes the new customer
 * to their referrer, an account page with the referral widget, and the token endpoint the
 * widget calls. Users live in memory to keep the example short: use D1 or your own API.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import { html } from 'hono/html';
// Copy shared/referral-token.js from the widget's repository next to this file in your own app.
import { mintCustomerToken, signupCustomer } from '../../../shared/referral-token.js';

interface Env {
  REFERRAL_WORKER_URL: string;
  REFERRAL_API_URL?: string;
  COOKIE_DOMAIN?: string;
  /** The referral worker's TOKEN_SECRET. Unset: the dev secret that only `npm start`'s worker accepts. */
  REFERRAL_TOKEN_SECRET?: string;
  /** Signs the session cookie. */
  SESSION_SECRET?: string;
}
type App = { Bindings: Env };

interface User {
  /** The customer key in the Partnero program. */
  id: string;
  email: string;
  name: string;
  password: string;
  /** Account creation, seconds since the epoch. */
  createdAt: number;
}

const DEV_SECRET = 'dev-only-token-secret-do-not-use-in-production';
const users = new Map<string, User>([
  ['alice', { id: 'alice', email: 'alice@example.com', name: 'Alice', password: 'alice', createdAt: 1746090000 }],
  // Has an account but has never joined the referral program: the widget invites her to.
  ['dana', { id: 'dana', email: 'dana@example.com', name: 'Dana', password: 'dana', createdAt: 1735689600 }],
]);

const secretOf = (env: Env) => env.REFERRAL_TOKEN_SECRET || DEV_SECRET;
const sessionKey = (env: Env) => env.SESSION_SECRET || secretOf(env);
const workerUrl = (env: Env) => env.REFERRAL_WORKER_URL.replace(/\/$/, '');

/** A customer token for `user`: what the widget and POST /api/signup believe. */
function tokenFor(env: Env, user: User): Promise<string> {
  return mintCustomerToken({ secret: secretOf(env), sub: user.id, email: user.email, name: user.name, createdAt: user.createdAt });
}

async function currentUser(c: Context<App>): Promise<User | undefined> {
  const id = await getSignedCookie(c, sessionKey(c.env), 'session');
  return id ? users.get(id) : undefined;
}

function signIn(c: Context<App>, user: User): Promise<void> {
  return setSignedCookie(c, 'session', user.id, sessionKey(c.env), { httpOnly: true, sameSite: 'Lax', path: '/' });
}

function attribution(env: Env) {
  return html`<script src="${workerUrl(env)}/attribution.js" data-domain="${env.COOKIE_DOMAIN ?? ''}"></script>`;
}

function layout(title: string, body: unknown, head: unknown = '') {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title} · Acme</title>${head}</head>
<body><nav><a href="/">Home</a> <a href="/signup">Sign up</a> <a href="/account">Account</a></nav>
<main><h1>${title}</h1>${body}</main></body></html>`;
}

const app = new Hono<App>();

// A landing page: attribution.js remembers ?ref= in the partnero_referral cookie.
app.get('/', (c) => c.html(layout('Acme Roasters', html`<p><a href="/signup">Create an account</a> or <a href="/login">sign in</a>.</p>`, attribution(c.env))));

app.get('/signup', (c) =>
  c.html(
    layout(
      'Sign up',
      html`<form method="post" action="/signup">
        <label>Email <input name="email" type="email" required></label>
        <label>Name <input name="name" required></label>
        <label>Password <input name="password" type="password" required></label>
        <input type="hidden" name="referral_key" data-partnero-referral>
        <button>Sign up</button>
      </form>`,
      attribution(c.env),
    ),
  ),
);

app.post('/signup', async (c) => {
  const form = await c.req.parseBody();
  const field = (name: string) => (typeof form[name] === 'string' ? form[name].trim() : '');
  if (!field('email') || !field('name') || !field('password')) return c.html(layout('Sign up', html`<p>Email, name and password are required.</p>`), 400);
  const user: User = { id: `u-${crypto.randomUUID().slice(0, 8)}`, email: field('email'), name: field('name'), password: field('password'), createdAt: Math.floor(Date.now() / 1000) };
  users.set(user.id, user);
  // The signup hook: the cookie (or the form field attribution.js filled) names the referrer.
  const referral = await signupCustomer({
    workerUrl: c.env.REFERRAL_API_URL || workerUrl(c.env),
    token: await tokenFor(c.env, user),
    referralKey: getCookie(c, 'partnero_referral') || field('referral_key') || null,
  });
  if (!referral.ok) console.error(`POST /api/signup: ${referral.status} ${referral.code} ${referral.reason ?? ''} ${referral.message}`);
  else if (referral.dropped) console.warn(`referral ${referral.dropped.referral_key} not honoured (${referral.dropped.code}): signed up unattributed`);
  await signIn(c, user);
  setCookie(c, 'notice', referral.ok ? `Welcome! Referred by ${referral.referred_by ?? 'nobody'}.` : 'Welcome!', { path: '/account', httpOnly: true, sameSite: 'Lax' });
  return c.redirect('/account', 303);
});

app.get('/login', (c) =>
  c.html(
    layout(
      'Sign in',
      html`<form method="post" action="/login">
        <label>Email <input name="email" type="email" required></label>
        <label>Password <input name="password" type="password" required></label>
        <button>Sign in</button>
      </form>
      <p>Try alice@example.com / alice, or dana@example.com / dana.</p>`,
    ),
  ),
);

app.post('/login', async (c) => {
  const form = await c.req.parseBody();
  const user = [...users.values()].find((u) => u.email === form.email && u.password === form.password);
  if (!user) return c.html(layout('Sign in', html`<p>Wrong email or password. <a href="/login">Try again</a>.</p>`), 401);
  await signIn(c, user);
  return c.redirect('/account', 303);
});

// The account page: the widget, loaded from the referral worker, asks /referral-token for its token.
app.get('/account', async (c) => {
  const user = await currentUser(c);
  if (!user) return c.redirect('/login', 303);
  const notice = getCookie(c, 'notice');
  deleteCookie(c, 'notice', { path: '/account' });
  return c.html(
    layout(
      'Your account',
      html`<p>Signed in as ${user.email}.</p>
      ${notice ? html`<p role="status" data-testid="notice">${notice}</p>` : ''}
      <h2>Refer a friend</h2>
      <div id="referrals"></div>
      <script src="${workerUrl(c.env)}/widget.js" data-token-url="/referral-token" data-target="#referrals"></script>`,
    ),
  );
});

// The token endpoint: a short-lived token for the signed-in customer, never cached.
app.get('/referral-token', async (c) => {
  c.header('Cache-Control', 'private, no-store');
  const user = await currentUser(c);
  if (!user) return c.json({ error: 'signed out' }, 401);
  return c.json({ token: await tokenFor(c.env, user) });
});

export default app;
