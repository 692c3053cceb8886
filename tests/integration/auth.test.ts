// Who is at the counter (issue 12): operators from the platform's profile log in with a PIN set
// at the first login; the session is the client's; every channel that comes through a transport
// checks it and the permission the channel needs (PPL-3).
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../backend/transport/http';
import { MAX_PIN_FAILURES, PIN_LOCK_MS } from '../../backend/services/auth';
import { key, loginWith, ok, payAs, platformDelegate, refused, topUp } from '../helpers/backend';
import { backendWithClients } from '../helpers/clients';

const { clock, as, backend, recordSon } = backendWithClients();

/** Look-up, 已与客户核对 and payment, as the client's operator (SRV-2 wants the confirmation). */
const pay = (session: string, account: string, cash?: string) => payAs(as(session), 'water', account, cash);

const login = (operatorId: string, pin: string, first = true) => loginWith(as, operatorId, pin, first);

describe('logins', () => {
  it('PPL-3: a client that has not logged in reaches only the station and the login; every other channel is NOT_LOGGED_IN', async () => {
    const anon = as(undefined);
    ok(await anon('station.get'));
    const st = ok(await anon('auth.status'));
    expect(st.current).toBeNull();
    expect(st.operators.map((o: { id: string }) => o.id)).toEqual(['op-holder']);
    for (const ch of ['float.balance', 'txn.list', 'bill.inquire', 'day.status', 'printer.get'])
      refused(
        await anon(ch, ch === 'bill.inquire' ? { service: 'water', account: '31000001' } : undefined),
        'NOT_LOGGED_IN',
      );
    refused(await as('x'.repeat(43))('float.balance'), 'NOT_LOGGED_IN');
    // The process's own switch of operator is not a transport's to call.
    refused(await anon('session.setOperator', { operatorId: 'op-holder' }), 'NOT_PERMITTED');
  });

  it('PPL-3: the first login sets the PIN (hashed, never stored in clear); later logins need it', async () => {
    refused(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '1357' }), 'PIN_NOT_SET');
    refused(
      await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '1357', newPin: '1358' }),
      'PIN_MISMATCH',
    );
    const s = await login('op-holder', '1357');
    const row = backend()
      .db.prepare(`SELECT pin_hash FROM operator_pins WHERE operator_id = 'op-holder'`)
      .get() as {
      pin_hash: string;
    };
    expect(row.pin_hash).toMatch(/^\$argon2id\$/);
    expect(row.pin_hash).not.toContain('1357');
    ok(await as(s)('float.balance'));
    expect(ok(await as(s)('auth.status')).current).toMatchObject({ id: 'op-holder' });
    const again = await login('op-holder', '1357', false);
    expect(again).not.toBe(s);
    ok(await as(s)('auth.logout'));
    refused(await as(s)('float.balance'), 'NOT_LOGGED_IN');
    ok(await as(again)('float.balance'));
  });

  it('PPL-3: five wrong PINs lock that operator for five minutes', async () => {
    await login('op-holder', '1357');
    for (let i = 1; i < MAX_PIN_FAILURES; i++)
      expect(
        refused(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '0000' }), 'WRONG_PIN')
          .details['left'],
      ).toBe(MAX_PIN_FAILURES - i);
    refused(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '0000' }), 'OPERATOR_LOCKED');
    // Locked: even the right PIN is refused until the time is up.
    refused(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '1357' }), 'OPERATOR_LOCKED');
    clock.advance(PIN_LOCK_MS + 1000);
    ok(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '1357' }));
  });

  it('PPL-3: an authorised person may do what the scope allows and nothing else (NOT_PERMITTED names the permission); each posting names who made it', async () => {
    const son = await recordSon();
    await topUp(backend(), '500');
    const holder = await login('op-holder', '1357');
    const s = await login(son, '2468');
    const { t } = await pay(s, '31000001');
    expect(t.operatorName).toBe('儿子');
    const r = refused(
      await as(s)('txn.reverse', { txnId: t.txnId, reason: '客户要求', idempotencyKey: key() }),
      'NOT_PERMITTED',
    );
    expect(r.details).toMatchObject({ permission: 'reverse' });
    expect(r.message).toContain('冲正');
    refused(await as(s)('day.count', { method: 'total', total: '0.00' }), 'NOT_PERMITTED');
    refused(await as(s)('printer.set', { kind: 'none' }), 'NOT_PERMITTED');
    // The holder, at another client at the same time, may.
    const rev = ok(
      await as(holder)('txn.reverse', { txnId: t.txnId, reason: '客户要求', idempotencyKey: key() }),
    );
    expect(rev.operatorName).toBe('店主（演示）');
  });

  it('PPL-3: an authorisation that has ended cannot log in, and ends a session that was open', async () => {
    const son = await platformDelegate(backend(), { name: '临时帮手', services: ['water'], scope: ['pay'] });
    const s = await login(son, '2468');
    ok(await as(s)('float.balance'));
    const platform = backend().platform!.platform;
    const auths = (await platform.store.provisioning.stationFile(
      backend().platform!.institutionNo,
    ))!.people.find((p) => `P${p.id}` === son)!.authorisations;
    await platform.store.provisioning.revokeAuthorisation(auths[0]!.id, clock.now().toISOString(), 'admin');
    clock.advance(1000);
    ok(await backend().call('profile.refresh', undefined));
    refused(await as(s)('float.balance'), 'NOT_LOGGED_IN');
    refused(await as(undefined)('auth.login', { operatorId: son, pin: '2468' }), 'NOT_ADMITTED');
  });

  it('browser mode: the API needs its token and, for money, a logged-in session header', async () => {
    const server = await startHttpServer({
      call: (channel, args, client) => backend().callAs(client, channel, args),
      token: 'test-token-0123456789abcdef',
      port: 0,
    });
    try {
      const post = (channel: string, body: unknown, session?: string) =>
        fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
          method: 'POST',
          headers: {
            authorization: 'Bearer test-token-0123456789abcdef',
            'content-type': 'application/json',
            ...(session ? { 'x-yizhan-session': session } : {}),
          },
          body: JSON.stringify(body),
        });
      expect((await post('float.balance', {})).status).toBe(401);
      const r = await post('auth.login', { operatorId: 'op-holder', pin: '1357', newPin: '1357' });
      const { data } = (await r.json()) as { data: { session: string } };
      expect((await post('float.balance', {}, data.session)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('shift handover: the operator ends the shift with a blind count and the shift X report, the session ends, the next one logs in; the Z lists the shifts', async () => {
    const son = await recordSon();
    await topUp(backend(), '500');
    const h = await login('op-holder', '1357');
    const { q: q1 } = await pay(h, '31000001', '1000');
    clock.advance(60_000);
    const s1 = ok(await as(h)('shift.end', { countedCash: '1000.00' }));
    expect(s1).toMatchObject({
      shiftNo: 1,
      operatorName: '店主（演示）',
      txnCount: 2,
      payments: q1.amountDue,
    });
    // Blind: the count is what was typed; the expected figure and the difference come with the report.
    expect(Number(s1.variance.replace('.', ''))).toBe(
      Number(s1.countedCash.replace('.', '')) - Number(s1.expectedCash.replace('.', '')),
    );
    refused(await as(h)('float.balance'), 'NOT_LOGGED_IN');
    clock.advance(60_000);
    const s = await login(son, '2468');
    await pay(s, '31000002');
    clock.advance(60_000);
    const s2 = ok(await as(s)('shift.end', { countedCash: s1.expectedCash }));
    expect(s2).toMatchObject({ shiftNo: 2, operatorName: '儿子', txnCount: 1, startedAt: s1.endedAt });
    const x = ok(await backend().call('day.xReport', {}));
    expect(x.shifts.map((sh: { operatorName: string }) => sh.operatorName)).toEqual(['店主（演示）', '儿子']);
  });
});
