// Training mode (练习模式, issue 12 item 5): a login session switches explicitly to a separate
// training ledger with its own float and a simulated central system; an operator not trained on a
// service at the counter can practise it there; nothing done in training reaches the real ledger,
// the real platform, the monitor upload, or the printer without 「练习」.
import { describe, expect, it } from 'vitest';
import { formatFen, parseMoney } from '../../shared/money';
import { FakePrinter } from '../helpers/fake-printer';
import { decodeEscPos } from '../helpers/escpos-decoder';
import {
  loginWith,
  ok,
  payAs,
  platformDelegate,
  refused,
  stationPrinter,
  testBackend,
  topUp,
} from '../helpers/backend';
import { backendWithClients } from '../helpers/clients';

const { clock, as, backend } = backendWithClients();

const login = (operatorId: string, pin = '2468') => loginWith(as, operatorId, pin);

/** Look-up, 已与客户核对 and payment of a bill, as the client's operator. */
const pay = async (session: string, service: string, account: string) =>
  (await payAs(as(session), service, account)).t;

/** A fake ESC/POS printer set as the station's printer for the test's body. */
async function withPrinter(body: (printer: FakePrinter) => Promise<void>): Promise<void> {
  const printer = await stationPrinter(backend());
  try {
    await body(printer);
  } finally {
    await printer.stop();
  }
}

/** What the real station holds and would upload: its ledger rows, float, platform account,
 *  print jobs and what MON-2 counts. */
async function realState() {
  const count = (table: string) =>
    (backend().db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const standing = ok(await backend().call('standing.get', undefined));
  const monitor = ok(await backend().call('monitor.status', undefined));
  return {
    txns: count('txns'),
    postings: count('postings'),
    printJobs: count('print_jobs'),
    float: ok(await backend().call('float.balance', undefined)),
    central: await backend().platform!.balanceFen(),
    todayCount: standing.todayCount,
    months: standing.months,
    seq: monitor.seq,
    pendingDays: monitor.pendingDays,
  };
}

describe('training mode (练习模式)', () => {
  it('PPL-2: an operator not trained on gas is refused at the counter but pays gas in training mode; the real ledger, float and upload are unchanged', async () => {
    await topUp(backend(), '500');
    const son = await platformDelegate(backend(), { name: '王小明', services: ['water'] });
    const s = await login(son);
    const call = as(s);
    refused(await call('bill.inquire', { service: 'gas', account: '31000001' }), 'NOT_TRAINED');
    const before = await realState();

    expect(ok(await call('training.enter'))).toEqual({ training: true });
    expect(ok(await call('auth.status')).training).toBe(true);
    const st = ok(await call('station.get'));
    expect(st.training).toBe(true);
    expect(st.institutionNo).toBe(ok(await backend().call('station.get', undefined)).institutionNo);
    // Its own float: the training opening float, not the station's 500.00.
    expect(ok(await call('float.balance')).balance).toBe('2000.00');
    expect(ok(await call('catalogue.list')).items.every((i: { trained: boolean }) => i.trained)).toBe(true);
    expect(ok(await call('session.get')).operator.name).toBe('王小明');

    const t = await pay(s, 'gas', '31000001');
    expect(t.service).toBe('gas');
    expect(t.operatorName).toBe('王小明');
    expect(t.fee).toBe('1.00');
    const trainingFloat = ok(await call('float.balance'));
    // The float pays the bill; the fee is the station's cash.
    expect(trainingFloat.balance).toBe(formatFen(parseMoney('2000.00') - parseMoney(t.amount)));
    expect(trainingFloat.balance).toBe(t.floatAfter);
    expect(ok(await call('txn.list', {})).items.map((x: { txnId: number }) => x.txnId)).toContain(t.txnId);
    // The real monitor address cannot be set from training; the training ledger uploads nothing.
    refused(await call('monitor.setUrl', { url: 'http://127.0.0.1:9/' }), 'TRAINING_NOT_ALLOWED');
    refused(await call('monitor.uploadNow'), 'MONITOR_NOT_CONFIGURED');
    expect(ok(await call('monitor.status')).lastAttemptAt).toBeNull();

    // Nothing reached the real ledger, the real platform's account, its print queue or MON-2.
    expect(await realState()).toEqual(before);

    expect(ok(await call('training.leave'))).toEqual({ training: false });
    expect(ok(await call('auth.status')).training).toBe(false);
    expect(ok(await call('station.get')).training).toBe(false);
    expect(ok(await call('float.balance')).balance).toBe('500.00');
    refused(await call('bill.inquire', { service: 'gas', account: '31000001' }), 'NOT_TRAINED');
    // Back in training, the training ledger kept what was practised.
    ok(await call('training.enter'));
    expect(ok(await call('float.balance')).balance).toBe(trainingFloat.balance);
  });

  it('PPL-1: an operator with service training but no operation training takes no payment at the counter, yet practises in training mode', async () => {
    await topUp(backend(), '500');
    const clerk = await platformDelegate(backend(), { name: '李新', services: ['water'], operation: false });
    const s = await login(clerk);
    const call = as(s);
    const e = refused(await call('bill.inquire', { service: 'water', account: '20000001' }), 'NOT_TRAINED');
    expect(e.message).toMatch(/培训/);
    const before = await realState();
    ok(await call('training.enter'));
    const t = await pay(s, 'water', '20000001');
    expect(t.operatorName).toBe('李新');
    expect(await realState()).toEqual(before);
    ok(await call('training.leave'));
    refused(await call('bill.inquire', { service: 'water', account: '20000001' }), 'NOT_TRAINED');
  });

  it("PPL-2: every slip printed in training says 练习 at its top and bottom, on the same printer; the real counter's slips do not", async () => {
    await withPrinter(async (printer) => {
      await topUp(backend(), '500');
      const s = await login('op-holder');
      const call = as(s);
      ok(await call('training.enter'));
      const t = await pay(s, 'water', '31000002');
      expect(ok(await call('print.txn', { txnId: t.txnId })).job.status).toBe('printed');
      const x = ok(await call('day.printX', {}));
      expect(x.outcome).toBe('sent');
      const preview = ok(await call('receipt.preview', { txnId: t.txnId }));
      // The SVG sets each character in its own element.
      expect(preview.svg.replace(/<[^>]*>/g, '').match(/练习/g)?.length).toBe(2);
      // The printer's own setting cannot be changed from training.
      refused(await call('printer.set', { interface: '', columns: 32 }), 'TRAINING_NOT_ALLOWED');
      await printer.waitForJobs(2);
      await printer.settle();
      const slips = printer.jobs.map((j) => decodeEscPos(j).text);
      expect(slips).toHaveLength(2);
      for (const text of slips) {
        expect(text.match(/练习/g)?.length, text).toBe(2);
        expect(text).toContain('TRAINING');
        expect(text).toContain('非正式凭证');
      }
      expect(slips[0]).toContain(t.serial);
      expect(slips[1]).toContain('X报表');

      // The real counter, same printer: no 练习.
      ok(await call('training.leave'));
      const real = await pay(s, 'water', '31000003');
      ok(await call('print.txn', { txnId: real.txnId }));
      await printer.waitForJobs(3);
      await printer.settle();
      const last = decodeEscPos(printer.jobs[2]!).text;
      expect(last).toContain(real.serial);
      expect(last).not.toContain('练习');
    });
  });

  it("a training slip's serial begins with LX and never opens the real transaction of the same day and id; a real serial opens nothing in training", async () => {
    await withPrinter(async (printer) => {
      await topUp(backend(), '500');
      const s = await login('op-holder');
      const call = as(s);
      const real = await pay(s, 'water', '31000004');
      ok(await call('training.enter'));
      const practised = await pay(s, 'water', '31000005');
      // Both ledgers have a top-up then this payment: the same day and id, told apart by LX.
      expect(practised.txnId).toBe(real.txnId);
      expect(real.serial).toMatch(/^\d{8}-\d{6}$/);
      expect(practised.serial).toBe(`LX${real.serial}`);
      ok(await call('print.txn', { txnId: practised.txnId }));
      await printer.waitForJobs(1);
      await printer.settle();
      expect(decodeEscPos(printer.jobs[0]!).text).toContain(practised.serial);

      // In training: its own slip by serial and in the search; the real slip is not looked up.
      expect(ok(await call('txn.get', { serial: practised.serial })).accountNo).toBe('31000005');
      const found = ok(await call('txn.list', { search: practised.serial })).items;
      expect(found.map((x: { serial: string }) => x.serial)).toEqual([practised.serial]);
      const inTraining = refused(await call('txn.get', { serial: real.serial }), 'NOT_FOUND');
      expect(inTraining.message).toContain('练习模式中只能查询练习凭证');

      // At the real counter the training slip, scanned, opens nothing — no reprint, no 冲正.
      ok(await call('training.leave'));
      const atCounter = refused(await call('txn.get', { serial: practised.serial }), 'NOT_FOUND');
      expect(atCounter.message).toContain('是练习模式的凭证');
      expect(ok(await call('txn.list', { search: practised.serial })).items).toEqual([]);
      expect(ok(await call('txn.get', { serial: real.serial })).accountNo).toBe('31000004');
    });
  });

  it('SRV-4 in training: practice charges the real station’s fees (from its signed profile), not the simulated system’s own', async () => {
    await topUp(backend(), '500');
    // The office sets gas to 0.00 and water to 0.30 from tomorrow for the real station.
    const p = backend().platform!.platform;
    const at = p.now().toISOString();
    await p.store.provisioning.setFee('gas', 0, '2026-11-01', at, 'admin');
    await p.store.provisioning.setFee('water', 30, '2026-11-29', at, 'admin');
    expect(ok(await backend().call('profile.refresh', undefined)).profile.fees).toEqual(
      expect.arrayContaining([{ service: 'water', fee: '0.30', effectiveFrom: '2026-11-29' }]),
    );
    const s = await login('op-holder');
    const call = as(s);
    const feesOf = async (c: typeof call) =>
      Object.fromEntries(
        ok(await c('catalogue.list')).items.map((i: { id: string; fee: string }) => [i.id, i.fee]),
      );
    const fees = () => feesOf(call);
    const real = await fees();
    expect(real).toMatchObject({ gas: '0.00', water: '0.00' });
    ok(await call('training.enter'));
    expect(await fees()).toEqual(real);
    expect((await pay(s, 'gas', '31000006')).fee).toBe('0.00');
    // Tomorrow water costs 0.30 at the counter, and in practice.
    ok(await call('training.leave'));
    clock.set('2026-11-29T02:00:00.000Z');
    const next = as(await login('op-holder')); // the idle lock ended yesterday's session
    const tomorrow = await feesOf(next);
    expect(tomorrow).toMatchObject({ water: '0.30' });
    ok(await next('training.enter'));
    expect(await feesOf(next)).toEqual(tomorrow);
  });

  it('a session not in training is unaffected by another session in training', async () => {
    await topUp(backend(), '500');
    const practising = await login('op-holder');
    const counter = ok(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '2468' }))
      .session as string;
    ok(await as(practising)('training.enter'));
    const real = await pay(counter, 'water', '31000004');
    const practice = await pay(practising, 'water', '31000005');
    expect(ok(await as(counter)('station.get')).training).toBe(false);
    expect(ok(await as(counter)('auth.status')).training).toBe(false);
    expect(ok(await as(counter)('float.balance')).balance).toBe(
      formatFen(parseMoney('500.00') - parseMoney(real.amount)),
    );
    expect(ok(await as(practising)('float.balance')).balance).toBe(
      formatFen(parseMoney('2000.00') - parseMoney(practice.amount)),
    );
    const realAccounts = ok(await as(counter)('txn.list', {})).items.map(
      (x: { accountNo?: string }) => x.accountNo,
    );
    expect(realAccounts).toContain('31000004');
    expect(realAccounts).not.toContain('31000005');
    const practised = ok(await as(practising)('txn.list', {})).items.map(
      (x: { accountNo?: string }) => x.accountNo,
    );
    expect(practised).toContain('31000005');
    expect(practised).not.toContain('31000004');
    // The real platform's account moved by the real payment only.
    expect(await backend().platform!.balanceFen()).toBe(parseMoney('500.00') - parseMoney(real.amount));
  });

  it('entering and leaving are explicit: by a logged-in operator, for that session only; a new login starts at the real counter', async () => {
    refused(await as(undefined)('training.enter'), 'NOT_LOGGED_IN');
    refused(await backend().call('training.enter', undefined), 'NOT_LOGGED_IN');
    const s = await login('op-holder');
    expect(ok(await as(s)('station.get')).training).toBe(false);
    ok(await as(s)('training.enter'));
    expect(ok(await as(s)('station.get')).training).toBe(true);
    // Locking the counter ends the session; the next login is at the real counter.
    ok(await as(s)('auth.logout'));
    refused(await as(s)('float.balance'), 'NOT_LOGGED_IN');
    const again = ok(await as(undefined)('auth.login', { operatorId: 'op-holder', pin: '2468' }))
      .session as string;
    expect(ok(await as(again)('station.get')).training).toBe(false);
    expect(ok(await as(again)('auth.status')).training).toBe(false);
  });

  it('a station without a training ledger says so (TRAINING_UNAVAILABLE)', async () => {
    const plain = await testBackend({ now: clock.now, training: undefined });
    try {
      const s = ok(
        await plain.callAs({ session: undefined }, 'auth.login', {
          operatorId: 'op-holder',
          pin: '2468',
          newPin: '2468',
        }),
      ).session as string;
      const r = refused(
        await plain.callAs({ session: s }, 'training.enter', undefined),
        'TRAINING_UNAVAILABLE',
      );
      expect(r.message).toContain('练习模式');
    } finally {
      plain.close();
    }
  });
});
