// Admin SDK Directory API and Licensing API through googleapis, on a customer
// the reseller just ordered.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import {
  BUSINESS_STARTER,
  WORKSPACE,
  directory,
  expectGoogleError,
  flexible,
  licensing,
  newCustomer,
  quickUser,
  reseller,
} from './partnerd.js';

const svc = reseller();
const dir = directory();
const lic = licensing();

function preferredLanguage(user) {
  const preferred = (user.languages ?? []).filter((l) => l.preference === 'preferred');
  assert.equal(preferred.length, 1, `languages: ${JSON.stringify(user.languages)}`);
  return preferred[0].languageCode;
}

test('Directory customers: the default language, read and patched, applies to new users', async () => {
  const customer = await newCustomer(svc, { tos: false });
  const cid = customer.customerId;

  const { data: before } = await dir.customers.get({ customerKey: cid });
  assert.equal(before.kind, 'admin#directory#customer');
  assert.equal(before.id, cid);
  assert.equal(before.customerDomain, customer.customerDomain);
  assert.equal(before.alternateEmail, customer.alternateEmail);
  assert.equal(before.language, 'en');

  const first = (await dir.users.insert({ requestBody: quickUser(customer.customerDomain) })).data;
  assert.equal(preferredLanguage(first), 'en');

  const { data: patched } = await dir.customers.patch({ customerKey: cid, requestBody: { language: 'id' } });
  assert.equal(patched.id, cid);
  assert.equal(patched.language, 'id');
  assert.equal(patched.alternateEmail, customer.alternateEmail);
  assert.equal(patched.postalAddress.countryCode, customer.postalAddress.countryCode);
  assert.equal((await dir.customers.get({ customerKey: cid })).data.language, 'id');

  // New users get the new default; the first keeps English.
  const second = (await dir.users.insert({ requestBody: quickUser(customer.customerDomain) })).data;
  assert.equal(preferredLanguage(second), 'id');
  assert.equal(preferredLanguage((await dir.users.get({ userKey: first.id })).data), 'en');

  // The Reseller API sees the same customer, unchanged.
  assert.deepEqual((await svc.customers.get({ customerId: cid })).data, customer);
});

test('Directory users.insert then makeAdmin', async () => {
  const customer = await newCustomer(svc, { tos: false });
  const domain = customer.customerDomain;
  const body = {
    primaryEmail: `admin@${domain}`,
    name: { givenName: 'Alex', familyName: 'Cruz' },
    password: 'Tmp-' + randomBytes(12).toString('base64url'),
    changePasswordAtNextLogin: true,
  };
  const { data: user } = await dir.users.insert({ requestBody: body });
  assert.equal(user.kind, 'admin#directory#user');
  assert.match(user.id, /^[0-9]{21}$/);
  assert.equal(user.primaryEmail, body.primaryEmail);
  assert.equal(user.customerId, customer.customerId);
  assert.equal(user.name.fullName, 'Alex Cruz');
  assert.equal(user.isAdmin, false);
  assert.equal(user.changePasswordAtNextLogin, true);
  assert.equal(user.orgUnitPath, '/');
  assert.equal(user.password, undefined, 'the password came back');

  const staff = (await dir.users.insert({ requestBody: quickUser(domain, 'staff') })).data;
  await expectGoogleError(dir.users.insert({ requestBody: { ...body, name: { givenName: 'Other', familyName: 'One' } } }), 409, 'duplicate');

  const made = await dir.users.makeAdmin({ userKey: user.primaryEmail, requestBody: { status: true } });
  assert.ok(made.status === 200 || made.status === 204, `makeAdmin: HTTP ${made.status}`);

  assert.equal((await dir.users.get({ userKey: user.id })).data.isAdmin, true);
  assert.equal((await dir.users.get({ userKey: staff.primaryEmail })).data.isAdmin, false);

  const { data: page } = await dir.users.list({ customer: customer.customerId });
  assert.equal(page.kind, 'admin#directory#users');
  const listed = Object.fromEntries(page.users.map((u) => [u.primaryEmail, u.isAdmin]));
  assert.deepEqual(listed, { [user.primaryEmail]: true, [staff.primaryEmail]: false });
});

test('Licensing: assignments draw on the subscription\'s seats', async () => {
  const customer = await newCustomer(svc);
  const cid = customer.customerId;
  const { data: sub } = await svc.subscriptions.insert({ customerId: cid, requestBody: flexible(BUSINESS_STARTER, 2) });
  assert.equal(sub.status, 'ACTIVE');
  const subIds = { customerId: cid, subscriptionId: sub.subscriptionId };
  const licensed = async () => (await svc.subscriptions.get(subIds)).data.seats.licensedNumberOfSeats;

  const users = [];
  for (const local of ['one', 'two', 'three']) {
    users.push((await dir.users.insert({ requestBody: quickUser(customer.customerDomain, local) })).data);
  }
  const [one, two, three] = users;

  for (const user of [one, two]) {
    const { data: a } = await lic.licenseAssignments.insert({
      productId: WORKSPACE,
      skuId: BUSINESS_STARTER,
      requestBody: { userId: user.primaryEmail },
    });
    assert.equal(a.kind, 'licensing#licenseAssignment');
    assert.equal(a.productId, WORKSPACE);
    assert.equal(a.skuId, BUSINESS_STARTER);
    assert.equal(a.userId.toLowerCase(), user.primaryEmail.toLowerCase());
    assert.equal(a.skuName, sub.skuName);
    assert.ok(a.selfLink.includes(`/product/${WORKSPACE}/sku/${BUSINESS_STARTER}/user/`), a.selfLink);
  }
  assert.equal(await licensed(), 2);

  const got = (await lic.licenseAssignments.get({ productId: WORKSPACE, skuId: BUSINESS_STARTER, userId: one.id })).data;
  assert.equal(got.userId.toLowerCase(), one.primaryEmail.toLowerCase());

  // Both seats are taken.
  await expectGoogleError(
    lic.licenseAssignments.insert({ productId: WORKSPACE, skuId: BUSINESS_STARTER, requestBody: { userId: three.primaryEmail } }),
    412,
    'conditionNotMet',
  );
  await expectGoogleError(
    lic.licenseAssignments.get({ productId: WORKSPACE, skuId: BUSINESS_STARTER, userId: three.primaryEmail }),
    404,
    'notFound',
  );
  assert.equal(await licensed(), 2);

  const holders = async () => {
    const { data } = await lic.licenseAssignments.listForProductAndSku({
      productId: WORKSPACE,
      skuId: BUSINESS_STARTER,
      customerId: cid,
    });
    assert.equal(data.kind, 'licensing#licenseAssignmentList');
    return (data.items ?? []).map((a) => a.userId.toLowerCase()).sort();
  };
  assert.deepEqual(await holders(), [one.primaryEmail, two.primaryEmail].map((e) => e.toLowerCase()).sort());

  // A released seat goes to someone else.
  await lic.licenseAssignments.delete({ productId: WORKSPACE, skuId: BUSINESS_STARTER, userId: one.primaryEmail });
  assert.equal(await licensed(), 1);
  await lic.licenseAssignments.insert({ productId: WORKSPACE, skuId: BUSINESS_STARTER, requestBody: { userId: three.primaryEmail } });
  assert.equal(await licensed(), 2);
  assert.deepEqual(await holders(), [two.primaryEmail, three.primaryEmail].map((e) => e.toLowerCase()).sort());
});
