// Shared set-up of the Node suite: Google's official Node.js client (googleapis,
// google-auth-library) pointed at a running partnerd, exactly as a reseller's
// code would be. tests/test_node_client.py starts the server, creates the
// resellers and key files, and passes them in through these variables:
//
//   PARTNERD_URL            the server, e.g. http://127.0.0.1:8080
//   PARTNERD_CONTROL_TOKEN  bearer token of the control API
//   PARTNERD_KEY_FILE       reseller A's service-account key file (Google's format)
//   PARTNERD_ADMIN_EMAIL    reseller A's super admin (the delegated subject)
//   PARTNERD_OTHER_ADMIN_EMAIL  reseller B's super admin (a foreign subject for A's key)

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { google } from 'googleapis';

function required(name) {
  const value = process.env[name];
  assert.ok(value, `environment variable ${name} is not set (run this suite through tests/test_node_client.py)`);
  return value;
}

export const BASE_URL = required('PARTNERD_URL').replace(/\/+$/, '');
export const CONTROL_TOKEN = required('PARTNERD_CONTROL_TOKEN');
export const KEY_FILE = required('PARTNERD_KEY_FILE');
export const ADMIN_EMAIL = required('PARTNERD_ADMIN_EMAIL');
export const OTHER_ADMIN_EMAIL = required('PARTNERD_OTHER_ADMIN_EMAIL');

const AUTH = 'https://www.googleapis.com/auth/';
export const SCOPE_ORDER = AUTH + 'apps.order';
export const SCOPE_ORDER_READONLY = AUTH + 'apps.order.readonly';
export const SCOPE_DIR_USER = AUTH + 'admin.directory.user';
export const SCOPE_DIR_CUSTOMER = AUTH + 'admin.directory.customer';
export const SCOPE_LICENSING = AUTH + 'apps.licensing';
export const ALL_SCOPES = [SCOPE_ORDER, SCOPE_DIR_USER, SCOPE_DIR_CUSTOMER, SCOPE_LICENSING];

export const BUSINESS_STARTER = '1010020027';
export const WORKSPACE = 'Google-Apps';

// ---------------------------------------------------------------------------
// Credentials: the token exchange goes to the key file's token_uri
// ---------------------------------------------------------------------------

// google-auth-library 10.5.0 never reads a key file's token_uri (JWT.fromJSON,
// node_modules/google-auth-library/build/src/auth/jwtclient.js:225-242, keeps
// client_email, private_key, private_key_id, project_id, universe_domain only).
// Its JWT client gets tokens through gtoken 8.0.0, which signs the assertion for
// and POSTs it to a constant, GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'
// (node_modules/gtoken/build/cjs/src/index.cjs:55, used at :402 as `aud` and at
// :418 as `url`); gtoken has no option to change it. OAuth2Client's `endpoints`
// option (oauth2TokenUrl) is not used by JWT, and a non-default `universeDomain`
// refuses domain-wide delegation (jwtclient.js:75-76).
//
// What gtoken does use is the auth client's `transporter` (jwtclient.js:203-215
// passes `transporter: this.transporter`; gtoken index.cjs:416 calls
// `this.transporter.request`). That is the public, typed Gaxios instance of every
// auth client (`AuthClient.transporter: Gaxios`,
// google-auth-library/build/src/auth/authclient.d.ts:181, created at
// authclient.js:68), and Gaxios request interceptors (`interceptors.request`,
// gaxios/build/cjs/src/gaxios.d.ts:25, run after the request is prepared,
// gaxios.js:104-107, with `config.url` a URL) are the library's own extension
// point: google-auth-library adds its default headers with one (authclient.js:70).
// So the cleanest supported way is one request interceptor that sends a request
// for Google's token URL to the key file's token_uri instead, and leaves every
// other request alone.
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export function useTokenUri(auth, tokenUri) {
  auth.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
      return config;
    },
  });
  return auth;
}

/**
 * Every request the suite's auth clients sent, oldest first, as it left (after
 * useTokenUri): {url, assertion} (the signed JWT, for token requests).
 */
export const sent = [];

/** The token requests among `sent`. */
export const tokenRequests = () => sent.filter((r) => r.assertion !== undefined);

// The suite's own instrument, added after useTokenUri: it records what each
// request really went to, and stops any that would leave partnerd (a token
// request to Google, an API call without rootUrl) before it is sent.
function watchRequests(auth) {
  const origin = new URL(BASE_URL).origin;
  auth.transporter.interceptors.request.add({
    resolved: async (config) => {
      const assertion = config.body instanceof URLSearchParams ? config.body.get('assertion') ?? undefined : undefined;
      sent.push({ url: config.url.href, assertion });
      if (config.url.origin !== origin) throw new Error(`request to ${config.url.href} would leave partnerd`);
      return config;
    },
  });
  return auth;
}

/**
 * Service-account credentials with domain-wide delegation, as a reseller makes
 * them: the key file, the scopes, the user to act as. `subject: null` asks for a
 * token without a subject.
 */
export function credentials({ scopes = ALL_SCOPES, subject = ADMIN_EMAIL, keyFile = KEY_FILE, ...options } = {}) {
  const key = JSON.parse(readFileSync(keyFile, 'utf8'));
  const auth = new google.auth.JWT({ keyFile, scopes, subject: subject ?? undefined, ...options });
  return watchRequests(useTokenUri(auth, key.token_uri));
}

const rootUrl = BASE_URL + '/';

export function reseller(auth = credentials()) {
  return google.reseller({ version: 'v1', auth, rootUrl });
}

export function directory(auth = credentials()) {
  return google.admin({ version: 'directory_v1', auth, rootUrl });
}

export function licensing(auth = credentials()) {
  return google.licensing({ version: 'v1', auth, rootUrl });
}

// ---------------------------------------------------------------------------
// Control API (plain fetch; it is partnerd's own, not Google's)
// ---------------------------------------------------------------------------

export async function control(method, path, body) {
  const res = await fetch(`${BASE_URL}/partnerd/v1/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${CONTROL_TOKEN}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `control API ${method} ${path}: HTTP ${res.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/** What the customer's super admin does on first sign-in. */
export async function acceptTos(customerId) {
  const accepted = await control('POST', `customers/${customerId}:acceptTos`);
  assert.equal(accepted.customerId, customerId, `acceptTos answered ${JSON.stringify(accepted)}`);
  return accepted;
}

export async function advanceClock(seconds) {
  return control('POST', 'clock:advance', { seconds });
}

// ---------------------------------------------------------------------------
// Test data
// ---------------------------------------------------------------------------

export function uniqueDomain(prefix = 'node') {
  return `${prefix}-${randomBytes(6).toString('hex')}.com`;
}

export function domainCustomer(domain = uniqueDomain(), addressOverrides = {}) {
  return {
    customerDomain: domain,
    alternateEmail: 'billing@alt-mail.example',
    phoneNumber: '+1 650-253-0000',
    postalAddress: {
      contactName: 'Jane Roe',
      organizationName: 'Example Widgets Inc.',
      addressLine1: '1600 Amphitheatre Parkway',
      locality: 'Mountain View',
      region: 'CA',
      postalCode: '94043',
      countryCode: 'US',
      ...addressOverrides,
    },
  };
}

/** A users.insert body; the SHA-1 hashed password keeps bulk inserts cheap. */
export function quickUser(domain, local = 'u-' + randomBytes(4).toString('hex')) {
  return {
    primaryEmail: `${local}@${domain}`,
    name: { givenName: 'Ana', familyName: 'Lima' },
    password: createHash('sha1').update(local).digest('hex'),
    hashFunction: 'SHA-1',
  };
}

/** A fresh customer of reseller A, optionally with the ToS accepted. */
export async function newCustomer(svc, { tos = true, domain } = {}) {
  const { data } = await svc.customers.insert({ requestBody: domainCustomer(domain) });
  if (tos) await acceptTos(data.customerId);
  return data;
}

export function flexible(sku, seats) {
  return { skuId: sku, plan: { planName: 'FLEXIBLE' }, seats: { maximumNumberOfSeats: seats } };
}

export function annual(sku, seats) {
  return { skuId: sku, plan: { planName: 'ANNUAL_MONTHLY_PAY' }, seats: { numberOfSeats: seats } };
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

const CANONICAL_STATUS = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
};

/**
 * Awaits `promise`, which must reject with a Google API error of `code` and
 * `reason` (the GaxiosError the client throws, with Google's JSON body).
 * Returns the body's `error` object.
 */
export async function expectGoogleError(promise, code, reason, { messageContains } = {}) {
  let err;
  try {
    const res = await promise;
    assert.fail(`expected HTTP ${code} ${reason}, got HTTP ${res?.status}: ${JSON.stringify(res?.data)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  const body = err.response?.data;
  const shown = `${err.message}\n${JSON.stringify(body)}`;
  assert.equal(err.response?.status, code, shown);
  assert.equal(err.status, code, `GaxiosError.status: ${shown}`);
  assert.deepEqual(Object.keys(body ?? {}), ['error'], shown);
  const e = body.error;
  assert.equal(e.code, code, shown);
  assert.equal(e.status, CANONICAL_STATUS[code], shown);
  assert.ok(typeof e.message === 'string' && e.message.length > 0, shown);
  assert.ok(Array.isArray(e.errors) && e.errors.length >= 1, shown);
  assert.equal(e.errors[0].domain, 'global', shown);
  assert.equal(e.errors[0].reason, reason, shown);
  assert.ok(typeof e.errors[0].message === 'string' && e.errors[0].message.length > 0, shown);
  if (messageContains !== undefined) {
    assert.ok(e.message.includes(messageContains), `message does not name ${messageContains}: ${shown}`);
  }
  return e;
}

/**
 * Awaits `promise`, which must fail in the token exchange with the OAuth error
 * `oauthError` (gtoken rethrows the GaxiosError with `error: description` as
 * its message).
 */
export async function expectTokenError(promise, oauthError) {
  let err;
  try {
    await promise;
    assert.fail(`expected the token exchange to fail with ${oauthError}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  const body = err.response?.data;
  const shown = `${err.message}\n${JSON.stringify(body)}`;
  assert.equal(err.response?.status, 400, shown);
  assert.equal(err.response?.config?.url?.toString(), BASE_URL + '/token', `not partnerd's token endpoint: ${shown}`);
  assert.equal(body?.error, oauthError, shown);
  assert.ok(typeof body.error_description === 'string' && body.error_description, shown);
  assert.equal(body.access_token, undefined, shown);
  assert.ok(err.message.startsWith(`${oauthError}: `), `gtoken's message: ${shown}`);
  return body;
}
