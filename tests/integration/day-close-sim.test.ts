// A simulation (TigerBeetle's habit): random top-ups, payments, reversals and takings settlements
// over many business days against a model of the float and the cash drawer; days closed on time,
// late, or with a count that is off. Each close must tie out (expected = sum of postings), agree
// with its X report, and carry its balances over exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchVoucher, confirmPayee, key, ok, refused, testBackend, testClock } from '../helpers/backend';
import type { Backend } from '../../backend/backend';
import type { FaultyGateway } from '../helpers/demo-platform';
import type { DayReportDto } from '../../shared/contract';
import { addDays } from '../../shared/business-day';
import { SERVICE_IDS } from '../../shared/catalogue';

const SEED = Number(process.env['SIM_SEED'] ?? 20261128);
const DAYS = Number(process.env['SIM_DAYS'] ?? 36);

/** mulberry32: small, seeded, good enough to pick operations. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fen = (s: string) => {
  const neg = s.startsWith('-');
  const [i, f = '00'] = s.replace('-', '').split('.');
  const v = Number(i) * 100 + Number(f.padEnd(2, '0'));
  return neg ? -v : v;
};
const yuan = (f: number) =>
  `${f < 0 ? '-' : ''}${Math.trunc(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`;

let b: Backend & { dataDir: string };
const clock = testClock();
beforeAll(async () => {
  clock.set('2026-09-30T16:30:00.000Z');
  b = await testBackend({ now: clock.now });
});
afterAll(() => b.close());

describe('simulation', () => {
  it(`PAY-4/PAY-5: ${DAYS} days of random business — every close ties out, agrees with its X report and carries over (seed ${SEED})`, async () => {
    const rnd = prng(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

    // The model: what the float and the physical drawer hold, and the takings not yet settled.
    let floatFen = 0;
    let drawerFen = 0;
    let takingsFen = 0;
    const reversible: { txnId: number; kind: 'pay' | 'top'; amountFen: number; totalFen: number }[] = [];
    const endOfDay = new Map<string, { floatFen: number; drawerFen: number }>();
    const unclosed: string[] = [];
    let lastZ: DayReportDto | null = null;
    let closes = 0;
    let lateCloses = 0;
    let variances = 0;
    let ops = 0;

    const closeDay = async (d: string) => {
      const late = d < todayOf();
      // Blind: count the drawer as it is, sometimes off by a little (then the drawer really is, and
      // so are the ends of the days after d, which open from this count).
      const offFen = rnd() < 0.2 ? pick([-100, -1, 1, 50, 2000]) : 0;
      drawerFen += offFen;
      for (const [dd, e] of endOfDay) if (dd > d) e.drawerFen += offFen;
      const c = ok<DayReportDto>(
        await b.call('day.count', { day: d, method: 'total', total: yuan(Math.max(0, drawerFen)) }),
      );
      if (drawerFen < 0) throw new Error('model drawer went negative');
      const x = ok<DayReportDto>(await b.call('day.xReport', { day: d }));
      expect(x.cash).toEqual(c.cash);
      const eod = endOfDay.get(d)!;
      expect(fen(c.cash!.expected)).toBe(eod.drawerFen);
      expect(fen(c.cash!.variance)).toBe(offFen);
      expect(fen(c.float.expectedClosing)).toBe(eod.floatFen);
      expect(c.float.tiesOut && c.cash!.tiesOut).toBe(true);
      const gatewayDown = rnd() < 0.1;
      (b.gateway as FaultyGateway).offline = gatewayDown;
      const args = {
        day: d,
        countId: c.count!.countId,
        central: gatewayDown ? { source: 'operator', balance: yuan(floatFen) } : { source: 'gateway' },
        cashRemark: offFen !== 0 ? '清点差异' : undefined,
        idempotencyKey: key('close'),
      };
      const z = ok<DayReportDto>(await b.call('day.close', args));
      (b.gateway as FaultyGateway).offline = false;
      if (rnd() < 0.1) expect(ok(await b.call('day.close', args))).toEqual(z); // a retry replays
      // X and Z are the same figures.
      expect(z.float).toEqual({
        ...x.float,
        central: z.float.central,
        centralMissing: null,
        difference: z.float.difference,
        remarkRequired: false,
        remark: null,
        // The line-by-line tie-out (PAY-4) reads the central journal: none when the close could not.
        tieOut: gatewayDown ? null : x.float.tieOut,
      });
      if (z.float.tieOut) expect(z.float.tieOut).toMatchObject({ lines: [], unexplained: '0.00' });
      expect({ ...z.cash!, remark: null }).toEqual({ ...x.cash!, remark: null });
      expect(z.float.difference).toBe('0.00');
      // Ties out against the postings themselves.
      const sumTo = b.db
        .prepare(`SELECT coalesce(sum(amount_fen), 0) FROM postings WHERE account = ? AND business_day <= ?`)
        .pluck();
      expect(sumTo.get('float', d)).toBe(fen(z.float.expectedClosing));
      const lastPosting = b.db
        .prepare(
          `SELECT balance_after_fen FROM postings WHERE account = 'float' AND business_day = ? ORDER BY id DESC LIMIT 1`,
        )
        .pluck()
        .get(d) as number | undefined;
      if (lastPosting !== undefined) expect(lastPosting).toBe(fen(z.float.expectedClosing));
      // Carries over exactly.
      if (lastZ) {
        expect(z.zNo).toBe(lastZ.zNo! + 1);
        expect(z.float.opening).toBe(lastZ.float.expectedClosing);
        expect(z.cash!.opening).toBe(lastZ.cash!.counted);
      } else {
        expect(z.zNo).toBe(1);
        expect(z.float.opening).toBe('0.00');
      }
      lastZ = z;
      closes++;
      if (late) lateCloses++;
      if (offFen !== 0) variances++;
      unclosed.splice(unclosed.indexOf(d), 1);
    };
    // Bank references unique by construction (a number cut from a random key could repeat).
    let docSeq = 0;
    const todayOf = () => new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

    let day = '2026-10-01';
    for (let n = 0; n < DAYS; n++, day = addDays(day, 1)) {
      clock.set(`${addDays(day, -1)}T23:30:00.000Z`); // 07:30 in Shanghai
      // Yesterday left open: close it late first thing (the drawer now is the drawer then).
      while (unclosed.length > 0 && unclosed[0]! < day && rnd() < 0.7) await closeDay(unclosed[0]!);
      if (rnd() < 0.1) continue; // the shop stayed shut: no business, nothing to close
      const nOps = between(3, 12);
      for (let i = 0; i < nOps; i++) {
        clock.advance(between(1, 50) * 60_000);
        ops++;
        const r = rnd();
        if (r < 0.2 || floatFen < 50_000) {
          const amount = between(5, 30) * 10_000;
          const voucher = rnd() < 0.6;
          const t = voucher
            ? ok(
                await b.call('topup.voucher', {
                  voucherNo: await branchVoucher(b, yuan(amount)),
                  branchCode: '350100',
                  clerk: '王五',
                  amount: yuan(amount),
                  idempotencyKey: key('top'),
                }),
              )
            : ok(
                await b.call('topup.greenCard', {
                  amount: yuan(amount),
                  bankRef: `BR${String(++docSeq).padStart(10, '0')}`,
                  idempotencyKey: key('gc'),
                }),
              );
          floatFen += amount;
          reversible.push({ txnId: t.txnId, kind: 'top', amountFen: amount, totalFen: amount });
        } else if (r < 0.7) {
          const account = `8${String(n).padStart(3, '0')}${String(i).padStart(3, '0')}${between(10, 99)}`;
          const bill = ok(await b.call('bill.inquire', { service: pick(SERVICE_IDS), account }));
          const total = fen(bill.total);
          const cash = rnd() < 0.5 ? total : Math.ceil((total + 1) / 5_000) * 5_000;
          const p = ok(
            await b.call('bill.pay', {
              billId: bill.billId,
              cashReceived: yuan(cash),
              confirmedPayee: await confirmPayee(b, bill),
              idempotencyKey: key('pay'),
            }),
          );
          expect(fen(p.change)).toBe(cash - total);
          floatFen -= fen(p.amount);
          drawerFen += total;
          takingsFen += total;
          reversible.push({ txnId: p.txnId, kind: 'pay', amountFen: fen(p.amount), totalFen: total });
        } else if (r < 0.82 && reversible.length > 0) {
          const idx = Math.floor(rnd() * reversible.length);
          const o = reversible[idx]!;
          if (o.kind === 'top' && o.amountFen > floatFen) continue;
          if (o.kind === 'pay' && o.totalFen > takingsFen) continue;
          const rev = await b.call('txn.reverse', {
            txnId: o.txnId,
            reason: '模拟冲正',
            idempotencyKey: key('rev'),
          });
          reversible.splice(idx, 1);
          if (o.kind === 'top') {
            // The platform keeps a top-up the branch or the bank credited: refused, nothing moves.
            refused(rev, 'NOT_REVERSIBLE');
          } else {
            ok(rev);
            floatFen += o.amountFen;
            drawerFen -= o.totalFen;
            takingsFen -= o.totalFen;
          }
        } else if (takingsFen > 0) {
          const amount = between(1, takingsFen);
          const deposit = rnd() < 0.5;
          const s = ok(
            await b.call(
              'takings.settle',
              deposit
                ? {
                    mode: 'deposit',
                    amount: yuan(amount),
                    voucherNo: await branchVoucher(b, yuan(amount)),
                    branchCode: '350100',
                    clerk: '李四',
                    idempotencyKey: key('set'),
                  }
                : { mode: 'owner', amount: yuan(amount), idempotencyKey: key('set') },
            ),
          );
          expect(s.kind).toBe('takings_settlement');
          drawerFen -= amount;
          takingsFen -= amount;
          if (deposit) floatFen += amount;
        }
      }
      endOfDay.set(day, { floatFen, drawerFen });
      if (!unclosed.includes(day)) unclosed.push(day);
      clock.set(`${day}T11:00:00.000Z`); // 19:00
      // Close today, in order, unless the operator forgets (then it is closed late).
      if (unclosed[0] === day && rnd() < 0.8) await closeDay(day);
    }
    clock.set(`${day}T01:00:00.000Z`);
    while (unclosed.length > 0) await closeDay(unclosed[0]!);

    // Whole-ledger invariants.
    expect(b.db.prepare(`SELECT count(*) FROM business_days WHERE status = 'open'`).pluck().get()).toBe(0);
    expect(
      b.db
        .prepare(`SELECT group_concat(z_no) FROM (SELECT z_no FROM day_closes ORDER BY z_no)`)
        .pluck()
        .get(),
    ).toBe(Array.from({ length: closes }, (_, i) => i + 1).join(','));
    const floatNow = b.db
      .prepare(`SELECT balance_after_fen FROM postings WHERE account = 'float' ORDER BY id DESC LIMIT 1`)
      .pluck()
      .get();
    expect(floatNow).toBe(floatFen);
    expect(
      b.db.prepare(`SELECT closing_float_fen FROM day_closes ORDER BY z_no DESC LIMIT 1`).pluck().get(),
    ).toBe(floatFen);
    expect(
      b.db.prepare(`SELECT counted_cash_fen FROM day_closes ORDER BY z_no DESC LIMIT 1`).pluck().get(),
    ).toBe(drawerFen);
    expect(b.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(lateCloses).toBeGreaterThan(0);
    expect(variances).toBeGreaterThan(0);
    console.log(
      `simulation seed ${SEED}: ${DAYS} days, ${ops} operations, ${closes} closes (${lateCloses} late, ${variances} with a cash variance)`,
    );
  }, 600_000);
});
