// Reseller API v1 through googleapis: customers and subscriptions.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import {
  BASE_URL,
  BUSINESS_STARTER,
  acceptTos,
  annual,
  domainCustomer,
  expectGoogleError,
  flexible,
  newCustomer,
  reseller,
  uniqueDomain,
} from './partnerd.js';

const svc = reseller();

// ---------------------------------------------------------------------------
// customers
// ---------------------------------------------------------------------------

test('customers.insert then get by id and by domain in another case', async () => {
  const body = domainCustomer();
  const { data: created, status } = await svc.customers.insert({ requestBody: body });
  assert.equal(status, 200);
  assert.equal(created.kind, 'reseller#customer');
  assert.match(created.customerId, /^C0[0-9a-z]{7}$/);
  assert.equal(created.customerDomain, body.customerDomain);
  assert.equal(created.customerType, 'domain');
  assert.equal(created.alternateEmail, body.alternateEmail);
  assert.equal(created.postalAddress.kind, 'customers#address');
  for (const [field, value] of Object.entries(body.postalAddress)) {
    assert.equal(created.postalAddress[field], value, `postalAddress.${field}`);
  }
  assert.ok(created.resourceUiUrl.startsWith(BASE_URL), created.resourceUiUrl);

  const byId = await svc.customers.get({ customerId: created.customerId });
  assert.deepEqual(byId.data, created);
  const byDomain = await svc.customers.get({ customerId: body.customerDomain.toUpperCase() });
  assert.deepEqual(byDomain.data, created);
});

test('customers.insert of an existing domain is 409 duplicate, in any case', async () => {
  const first = await newCustomer(svc, { tos: false });
  await expectGoogleError(
    svc.customers.insert({ requestBody: domainCustomer(first.customerDomain.toUpperCase()) }),
    409,
    'duplicate',
  );
  // The first customer is untouched.
  assert.deepEqual((await svc.customers.get({ customerId: first.customerDomain })).data, first);
});

test('customers.insert with a bad country is 400 invalid naming the field, and creates nothing', async () => {
  for (const country of ['XX', 'KP']) {
    const body = domainCustomer(uniqueDomain('badcountry'), { countryCode: country, postalCode: '12345' });
    await expectGoogleError(svc.customers.insert({ requestBody: body }), 400, 'invalid', {
      messageContains: 'postalAddress.countryCode',
    });
    await expectGoogleError(svc.customers.get({ customerId: body.customerDomain }), 404, 'notFound');
  }
});

// ---------------------------------------------------------------------------
// subscriptions
// ---------------------------------------------------------------------------

test('subscriptions.insert waits for the ToS, then is ACTIVE', async () => {
  const customer = await newCustomer(svc, { tos: false });
  const { data: sub } = await svc.subscriptions.insert({
    customerId: customer.customerId,
    requestBody: flexible(BUSINESS_STARTER, 5),
  });
  assert.equal(sub.kind, 'reseller#subscription');
  assert.match(sub.subscriptionId, /^[0-9]+$/);
  assert.equal(sub.customerId, customer.customerId);
  assert.equal(sub.skuId, BUSINESS_STARTER);
  assert.equal(sub.plan.planName, 'FLEXIBLE');
  assert.equal(sub.seats.maximumNumberOfSeats, 5);
  assert.equal(sub.status, 'SUSPENDED');
  assert.deepEqual(sub.suspensionReasons, ['PENDING_TOS_ACCEPTANCE']);

  const ids = { customerId: customer.customerId, subscriptionId: sub.subscriptionId };
  const waiting = (await svc.subscriptions.get(ids)).data;
  assert.equal(waiting.status, 'SUSPENDED');

  await acceptTos(customer.customerId);

  const active = (await svc.subscriptions.get(ids)).data;
  assert.equal(active.status, 'ACTIVE');
  assert.equal(active.suspensionReasons, undefined);
  assert.equal(active.subscriptionId, sub.subscriptionId);
  assert.deepEqual(active.seats, sub.seats);
});

test('subscriptions.list pages with opaque page tokens, each subscription once', async () => {
  const prefix = 'pg' + randomBytes(4).toString('hex');
  const expected = new Set();
  for (let i = 0; i < 3; i++) {
    const customer = await newCustomer(svc, { domain: uniqueDomain(prefix) });
    const { data } = await svc.subscriptions.insert({
      customerId: customer.customerId,
      requestBody: flexible(BUSINESS_STARTER, 1),
    });
    expected.add(data.subscriptionId);
  }
  // Another customer of A whose domain does not start with the prefix.
  await newCustomer(svc, { domain: 'not' + uniqueDomain(prefix) });

  const first = (await svc.subscriptions.list({ customerNamePrefix: prefix, maxResults: 2 })).data;
  assert.equal(first.kind, 'reseller#subscriptions');
  assert.equal(first.subscriptions.length, 2);
  assert.ok(typeof first.nextPageToken === 'string' && first.nextPageToken.length > 0, JSON.stringify(first));
  assert.ok(!/^[0-9]+$/.test(first.nextPageToken), `page token looks like an offset: ${first.nextPageToken}`);

  const second = (
    await svc.subscriptions.list({ customerNamePrefix: prefix, maxResults: 2, pageToken: first.nextPageToken })
  ).data;
  assert.equal(second.subscriptions.length, 1);
  assert.equal(second.nextPageToken, undefined);

  const listed = [...first.subscriptions, ...second.subscriptions].map((s) => s.subscriptionId);
  assert.equal(new Set(listed).size, listed.length, `listed twice: ${listed}`);
  assert.deepEqual(new Set(listed), expected);

  // One at a time gives the same three.
  const one = [];
  let pageToken;
  for (let pages = 0; pages < 10; pages++) {
    const page = (await svc.subscriptions.list({ customerNamePrefix: prefix, maxResults: 1, pageToken })).data;
    one.push(...(page.subscriptions ?? []).map((s) => s.subscriptionId));
    pageToken = page.nextPageToken;
    if (!pageToken) break;
  }
  assert.equal(pageToken, undefined, 'paging did not end');
  assert.deepEqual(one, listed);

  await expectGoogleError(svc.subscriptions.list({ pageToken: 'garbage' }), 400, 'invalid');
});

test('subscriptions.changeSeats: annual up (never down), flexible up and down', async () => {
  const customer = await newCustomer(svc);
  const { data: yearly } = await svc.subscriptions.insert({
    customerId: customer.customerId,
    requestBody: annual(BUSINESS_STARTER, 5),
  });
  const ids = { customerId: customer.customerId, subscriptionId: yearly.subscriptionId };

  const { data: up } = await svc.subscriptions.changeSeats({ ...ids, requestBody: { numberOfSeats: 9 } });
  assert.equal(up.seats.numberOfSeats, 9);
  assert.deepEqual(up.plan, yearly.plan, 'the commitment must not move');
  assert.deepEqual((await svc.subscriptions.get(ids)).data, up);

  await expectGoogleError(svc.subscriptions.changeSeats({ ...ids, requestBody: { numberOfSeats: 4 } }), 400, 'invalid');
  // The flexible plans' field on an annual plan: Google's "incorrect seat parameter".
  await expectGoogleError(
    svc.subscriptions.changeSeats({ ...ids, requestBody: { maximumNumberOfSeats: 20 } }),
    400,
    'invalid',
    { messageContains: 'numberOfSeats' },
  );
  assert.equal((await svc.subscriptions.get(ids)).data.seats.numberOfSeats, 9);

  // A flexible plan (another customer: one Workspace edition each).
  const other = await newCustomer(svc);
  const { data: monthly } = await svc.subscriptions.insert({
    customerId: other.customerId,
    requestBody: flexible(BUSINESS_STARTER, 5),
  });
  const flexIds = { customerId: other.customerId, subscriptionId: monthly.subscriptionId };
  const raised = (await svc.subscriptions.changeSeats({ ...flexIds, requestBody: { maximumNumberOfSeats: 50 } })).data;
  assert.equal(raised.seats.maximumNumberOfSeats, 50);
  const lowered = (await svc.subscriptions.changeSeats({ ...flexIds, requestBody: { maximumNumberOfSeats: 1 } })).data;
  assert.equal(lowered.seats.maximumNumberOfSeats, 1);
  assert.equal((await svc.subscriptions.get(flexIds)).data.seats.maximumNumberOfSeats, 1);
});
