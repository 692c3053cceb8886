// The counter (issue 3): from the operator's "confirm" to a committed, durable payment through the
// API — reserve, pay at the platform (run embedded beside the station, simulated billers, signed
// requests over loopback HTTP), post — in process and over loopback HTTP. The printer is excluded;
// receipt rendering has its own suite (receipt.bench.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../../backend/backend';
import { startHttpServer } from '../../backend/transport/http';
import { startDemoPlatform } from '../helpers/demo-platform';
import { median, percentile, timeManyAsync, type BenchResult, type BenchSuite } from './harness';

const N = 200;

export const suite: BenchSuite = async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-bench-counter-'));
  const platform = await startDemoPlatform(dataDir);
  const b = await createBackend({
    dataDir,
    gateway: platform.gateway,
    recoveryTimer: false,
    backups: false,
    demoOpeningFloat: false,
  });
  const { close, port } = await startHttpServer({ call: b.call, token: 'bench-token', port: 0 });
  try {
    // 400 bills of up to 380 元 need up to 152,000 元 of float: four top-ups of 50,000.
    for (let i = 1; i <= 4; i++) {
      const top = await b.call('topup.greenCard', {
        amount: '50000',
        bankRef: `BR-BENCH-${i}`,
        idempotencyKey: `bench-seed-${i}`,
      });
      if (!top.ok) throw new Error(top.error.message);
    }
    // Looked up and confirmed with the customer (SRV-2) before the cash: not part of the timing.
    const bills: { billId: string; total: string; confirmedPayee: string }[] = [];
    for (let i = 0; i < 2 * N; i++) {
      const r = await b.call('bill.inquire', { service: 'water', account: `8${String(i).padStart(9, '0')}` });
      if (!r.ok) throw new Error(r.error.message);
      const bill = r.data as { billId: string; total: string; payeeMasked: string; amountDue: string };
      const c = await b.call('bill.confirmPayee', {
        billId: bill.billId,
        payeeMasked: bill.payeeMasked,
        amount: bill.amountDue,
      });
      if (!c.ok) throw new Error(c.error.message);
      bills.push({ ...bill, confirmedPayee: (c.data as { confirmedPayee: string }).confirmedPayee });
    }
    const inProcess = await timeManyAsync(N, async (i) => {
      const bill = bills[i]!;
      const r = await b.call('bill.pay', {
        billId: bill.billId,
        cashReceived: bill.total,
        confirmedPayee: bill.confirmedPayee,
        idempotencyKey: `bench-pay-${i}`,
      });
      if (!r.ok) throw new Error(r.error.message);
    });
    const overHttp = await timeManyAsync(N, async (i) => {
      const bill = bills[N + i]!;
      const res = await fetch(`http://127.0.0.1:${port}/api/bill.pay`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
        body: JSON.stringify({
          billId: bill.billId,
          cashReceived: bill.total,
          confirmedPayee: bill.confirmedPayee,
          idempotencyKey: `bench-http-${i}`,
        }),
      });
      const body = (await res.json()) as { ok: boolean };
      if (!body.ok) throw new Error(JSON.stringify(body));
    });
    return [
      {
        suite: 'counter',
        name: 'confirm → committed payment, in process (median)',
        value: median(inProcess),
        unit: 'ms',
        target: '< 5 ms',
        pass: median(inProcess) < 5,
        note: `p95 ${percentile(inProcess, 95).toFixed(2)} ms; includes the signed round trip to the embedded platform and its durable writes`,
      },
      {
        suite: 'counter',
        name: 'confirm → committed payment, over loopback HTTP (median)',
        value: median(overHttp),
        unit: 'ms',
        target: '< 5 ms',
        pass: median(overHttp) < 5,
        note: `p95 ${percentile(overHttp, 95).toFixed(2)} ms`,
      },
    ] satisfies BenchResult[];
  } finally {
    await close();
    b.close();
    await platform.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};
