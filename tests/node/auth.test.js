// OAuth through google-auth-library's JWT client: the token exchange, the
// read-only scope, foreign subjects, and tokens expiring by partnerd's clock.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  ADMIN_EMAIL,
  BASE_URL,
  BUSINESS_STARTER,
  GOOGLE_TOKEN_URL,
  KEY_FILE,
  OTHER_ADMIN_EMAIL,
  SCOPE_ORDER,
  SCOPE_ORDER_READONLY,
  advanceClock,
  annual,
  credentials,
  domainCustomer,
  expectGoogleError,
  expectTokenError,
  newCustomer,
  reseller,
  sent,
  tokenRequests,
} from './partnerd.js';

function decodeJwtPart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

async function rawGet(path, token) {
  const res = await fetch(BASE_URL + path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

test('token exchange: the JWT client posts its assertion to the key file\'s token_uri', async () => {
  const key = JSON.parse(readFileSync(KEY_FILE, 'utf8'));
  assert.equal(key.type, 'service_account');
  assert.equal(key.token_uri, BASE_URL + '/token');

  const auth = credentials({ scopes: [SCOPE_ORDER] });
  const before = tokenRequests().length;
  const { token } = await auth.getAccessToken();
  assert.ok(typeof token === 'string' && token.length > 0, `no access token: ${token}`);

  const exchanges = tokenRequests().slice(before);
  assert.equal(exchanges.length, 1, JSON.stringify(exchanges));
  assert.equal(exchanges[0].url, BASE_URL + '/token');

  // What gtoken signed: Google's token URL as audience, the key's service
  // account, the delegated subject, the scopes, and no `kid` in the header
  // (partnerd has to find the key without it).
  const [header, payload] = exchanges[0].assertion.split('.').map((p, i) => (i < 2 ? decodeJwtPart(p) : p));
  assert.deepEqual(header, { alg: 'RS256' });
  assert.equal(payload.iss, key.client_email);
  assert.equal(payload.sub, ADMIN_EMAIL);
  assert.equal(payload.scope, SCOPE_ORDER);
  assert.equal(payload.aud, GOOGLE_TOKEN_URL);
  assert.equal(payload.exp - payload.iat, 3600);

  // partnerd's answer: a Bearer token for one hour.
  assert.equal(auth.credentials.token_type, 'Bearer');
  const lifetime = auth.credentials.expiry_date - Date.now();
  assert.ok(lifetime > 3500_000 && lifetime <= 3600_000, `token lifetime ${lifetime} ms`);

  // The client uses the token it holds; no second exchange.
  const svc = reseller(auth);
  const { data: created } = await svc.customers.insert({ requestBody: domainCustomer() });
  assert.equal(tokenRequests().length, before + 1, 'the client fetched another token');

  // The same token works outside the client too.
  const raw = await rawGet(`/apps/reseller/v1/customers/${created.customerId}`, token);
  assert.equal(raw.status, 200, JSON.stringify(raw.body));
  assert.deepEqual(raw.body, created);
});

test('read-only scope: reads work, writes are 403 insufficientPermissions and change nothing', async () => {
  const full = reseller();
  const customer = await newCustomer(full);
  const { data: sub } = await full.subscriptions.insert({
    customerId: customer.customerId,
    requestBody: annual(BUSINESS_STARTER, 5),
  });

  const ro = reseller(credentials({ scopes: [SCOPE_ORDER_READONLY] }));
  const { data: got } = await ro.customers.get({ customerId: customer.customerId });
  assert.deepEqual(got, customer);
  const { data: gotSub } = await ro.subscriptions.get({
    customerId: customer.customerId,
    subscriptionId: sub.subscriptionId,
  });
  assert.deepEqual(gotSub, sub);

  await expectGoogleError(ro.customers.insert({ requestBody: domainCustomer() }), 403, 'insufficientPermissions');
  await expectGoogleError(
    ro.customers.patch({ customerId: customer.customerId, requestBody: { alternateEmail: 'ro@alt-mail.example' } }),
    403,
    'insufficientPermissions',
  );
  await expectGoogleError(
    ro.subscriptions.changeSeats({
      customerId: customer.customerId,
      subscriptionId: sub.subscriptionId,
      requestBody: { numberOfSeats: 9 },
    }),
    403,
    'insufficientPermissions',
  );

  assert.deepEqual((await full.customers.get({ customerId: customer.customerId })).data, customer);
  const after = await full.subscriptions.get({ customerId: customer.customerId, subscriptionId: sub.subscriptionId });
  assert.equal(after.data.seats.numberOfSeats, 5);
});

test('foreign subject: the token exchange is refused with invalid_grant and no API call is made', async () => {
  for (const subject of [OTHER_ADMIN_EMAIL, 'nobody@elsewhere.example']) {
    const svc = reseller(credentials({ scopes: [SCOPE_ORDER], subject }));
    const before = sent.length;
    await expectTokenError(svc.customers.insert({ requestBody: domainCustomer() }), 'invalid_grant');
    const attempts = sent.slice(before);
    assert.ok(attempts.length >= 1, 'no token request was sent');
    assert.ok(
      attempts.every((r) => r.url === BASE_URL + '/token'),
      `something other than the token endpoint was called: ${JSON.stringify(attempts.map((r) => r.url))}`,
    );
    assert.equal(decodeJwtPart(attempts[0].assertion.split('.')[1]).sub, subject);
  }
});

test('a token without a subject: issued, then refused by the Reseller API with 403', async () => {
  const auth = credentials({ scopes: [SCOPE_ORDER], subject: null });
  const { token } = await auth.getAccessToken();
  assert.ok(token);
  const exchange = tokenRequests().at(-1);
  assert.equal(decodeJwtPart(exchange.assertion.split('.')[1]).sub, undefined);
  await expectGoogleError(reseller(auth).customers.insert({ requestBody: domainCustomer() }), 403, 'insufficientPermissions');
});

test('platform clock: a token past its hour is 401 authError; a new client gets a fresh one', async () => {
  const auth = credentials({ scopes: [SCOPE_ORDER] });
  const svc = reseller(auth);
  const customer = (await svc.customers.insert({ requestBody: domainCustomer() })).data;
  const oldToken = auth.credentials.access_token;

  await advanceClock(3700);

  const raw = await rawGet(`/apps/reseller/v1/customers/${customer.customerId}`, oldToken);
  assert.equal(raw.status, 401, JSON.stringify(raw.body));
  assert.equal(raw.body.error.errors[0].reason, 'authError');

  // google-auth-library judges expiry by the wall clock only and does not
  // refresh a JWT token on a 401 (OAuth2Client.requestAsync refreshes only
  // without an expiry_date or with forceRefreshOnFailure): the cached token
  // keeps failing.
  await expectGoogleError(svc.customers.get({ customerId: customer.customerId }), 401, 'authError');

  // A fresh client exchanges a new assertion and carries on.
  const before = tokenRequests().length;
  const { data } = await reseller().customers.get({ customerId: customer.customerId });
  assert.deepEqual(data, customer);
  assert.equal(tokenRequests().length, before + 1);
});
