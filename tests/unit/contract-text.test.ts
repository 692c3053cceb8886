// Issue 9, defect 9, across the whole contract: every string an argument carries — whichever
// channel, whichever field, nested or not — is refused by its schema when it holds a control
// character. Arguments the schema accepts are generated from the schemas themselves
// (tests/helpers/zod-arbitrary.ts); each string in them is then given a control character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { channels, type Channel } from '../../shared/contract';
import { CONTROL_CHARS, valid } from '../helpers/zod-arbitrary';

/** The control characters a text field must refuse, and the bidirectional overrides. */
const CONTROL = [...CONTROL_CHARS, '\u202e', '\u2066'];

/** Paths to every string inside a value. */
function stringPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...at, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...at, k]));
  return [];
}

function withString(v: unknown, path: (string | number)[], f: (s: string) => string): unknown {
  if (path.length === 0) return f(v as string);
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[head!] = withString(copy[head!], rest, f);
  return copy;
}

// Values that reach past the schemas' custom checks (a real day, a real URL).
const hints = {
  day: fc.constantFrom('2026-11-28', '2026-12-01'),
  from: fc.constantFrom('2026-11-01'),
  to: fc.constantFrom('2026-11-30'),
  openingDate: fc.constantFrom('2026-01-05'),
  url: fc.constantFrom('https://monitor.example.cn/upload'),
  interface: fc.constantFrom('tcp://192.168.1.50:9100', '/dev/usb/lp0'),
};

describe('defect 9: no text field of the contract takes a control character', () => {
  it('for every channel, every string in an accepted argument is refused once it holds a control character', () => {
    const tested = new Set<string>();
    for (const channel of Object.keys(channels) as Channel[]) {
      const schema = channels[channel].input as unknown as z.ZodType;
      const samples = fc.sample(valid(schema, hints), { numRuns: 60, seed: 9 });
      for (const args of samples) {
        if (!schema.safeParse(args).success) continue;
        for (const path of stringPaths(args)) {
          tested.add(`${channel}:${path.filter((p) => typeof p === 'string').join('.')}`);
          for (const c of CONTROL) {
            for (const hostile of [
              withString(args, path, (s) => `${s}${c}`),
              withString(args, path, (s) => `${c}${s}`),
              withString(args, path, (s) => `${s.slice(0, 1)}${c}${s.slice(1)}`),
            ]) {
              expect(schema.safeParse(hostile).success, `${channel} ${JSON.stringify(hostile)}`).toBe(false);
            }
          }
        }
      }
    }
    // The free-text fields are among those reached (the rest are codes, keys, days, amounts).
    for (const f of [
      'topup.voucher:clerk',
      'txn.reverse:reason',
      'takings.settle:clerk',
      'takings.settle:note',
      'day.close:floatRemark',
      'day.close:cashRemark',
      'bill.pay:billId',
      'bill.pay:confirmedPayee',
      'bill.confirmPayee:payeeMasked',
      'session.setOperator:operatorId',
      'txn.list:operatorId',
      'voucher.list:search',
      'monitor.setUrl:url',
      'fault.report:detail',
      'printer.set:interface',
    ]) {
      expect([...tested], f).toContain(f);
    }
    expect(tested.size).toBeGreaterThan(40);
  });
});
