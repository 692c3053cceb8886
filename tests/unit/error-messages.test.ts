// Errors are a closed set with one notion of finality, and every refusal has its text in each UI
// language: the zh-CN catalogue (which the backend puts in every reply) and the en one.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, YizhanError, isFinal, isRejectedUnexamined, type ErrorCode } from '../../shared/errors';
import { MESSAGE_CATALOGUES, formatErrorMessage } from '../../shared/messages';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];
const HAN = /[\u4e00-\u9fff]/;
const placeholders = (t: string) => [...t.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('error catalogue', () => {
  it('every code has a zh-CN and an en message, with the same variants and placeholders', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const cat = MESSAGE_CATALOGUES[lang] as Record<string, Record<string, string>>;
      expect(Object.keys(cat).sort(), lang).toEqual([...CODES].sort());
    }
    const zh = MESSAGE_CATALOGUES['zh-CN'] as Record<string, Record<string, string>>;
    const en = MESSAGE_CATALOGUES.en as Record<string, Record<string, string>>;
    for (const code of CODES) {
      expect(zh[code]!['default'], code).toBeTruthy();
      expect(Object.keys(en[code]!).sort(), code).toEqual(Object.keys(zh[code]!).sort());
      for (const [variant, text] of Object.entries(zh[code]!)) {
        const english = en[code]![variant]!;
        // Chinese, unless the message is only a Chinese text passed through (e.g. the printer's).
        const own = text.replace(/\{\{\s*\w+\s*\}\}/g, '').trim();
        if (own !== '') expect(HAN.test(text), `${code}.${variant} zh`).toBe(true);
        expect(HAN.test(english), `${code}.${variant} en`).toBe(false);
        expect(placeholders(english), `${code}.${variant}`).toEqual(placeholders(text));
      }
    }
  });

  it('the backend fills the Chinese message from the code and details', () => {
    const e = new YizhanError('CASH_SHORT', {
      total: '96.50',
      cashReceived: '50.00',
      missing: '46.50',
      variant: 'amounts',
    });
    expect(e.message).toBe('实收现金不足：应收 96.50 元，实收 50.00 元，还差 46.50 元');
    expect(e.toJSON()).toMatchObject({
      code: 'CASH_SHORT',
      details: { missing: '46.50', variant: 'amounts' },
    });
    expect(new YizhanError('BILL_EXPIRED').message).toBe('账单查询已过期，请重新查询');
    // An unknown variant falls back to the code's own message rather than to nothing.
    expect(formatErrorMessage('zh-CN', 'NOT_FOUND', { variant: 'nope' })).toBe('未找到该记录');
    expect(formatErrorMessage('en', 'DAY_CLOSED', { day: '2025-06-01', zNo: 7, variant: 'dayWithZ' })).toBe(
      'Business day 2025-06-01 is closed (Z7)',
    );
  });

  it('every variant a throw site names belongs to the code it throws', () => {
    // `new YizhanError('CODE', { ... variant: 'x' ... })` in the station code: the variant must be
    // one of CODE's messages, or the operator would read the code's general message instead.
    const roots = ['backend', 'db', 'shared'];
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, f.name);
        if (f.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    roots.forEach(walk);
    const zh = MESSAGE_CATALOGUES['zh-CN'] as Record<string, Record<string, string>>;
    let checked = 0;
    for (const file of files) {
      const src = fs.readFileSync(file, 'utf8');
      for (const m of src.matchAll(/YizhanError\(\s*'([A-Z_]+)',\s*\{([^}]*)\}/g)) {
        const [, code, body] = m as unknown as [string, string, string];
        const v = /variant:([^,\n}]*)/.exec(body);
        if (!v) continue;
        for (const name of v[1]!.matchAll(/'(\w+)'/g)) {
          expect(zh[code]?.[name[1]!], `${file}: ${code}.${name[1]}`).toBeTruthy();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('finality', () => {
  it('isFinal is false exactly for the outcomes not known yet', () => {
    const notFinal = CODES.filter((c) => !isFinal(c)).sort();
    expect(notFinal).toEqual([
      'GATEWAY_UNAVAILABLE',
      'INTERNAL',
      'IN_PROGRESS',
      'LEDGER_TAMPERED', // money stops until the ledger verifies again (issue 9)
      'PAYMENT_PENDING', // settles with the pending payment of the same bill (issue 9)
    ]);
    const unexamined = CODES.filter(isRejectedUnexamined).sort();
    // Refused before the request was looked at: bad input, no token, no login or permission
    // (issue 12) — it says nothing about the business.
    expect(unexamined).toEqual([
      'IDEMPOTENCY_CONFLICT',
      'INVALID_INPUT',
      'NOT_ADMITTED',
      'NOT_LOGGED_IN',
      'NOT_PERMITTED',
      'OPERATOR_LOCKED',
      'PIN_MISMATCH',
      'PIN_NOT_SET',
      'SETUP_REQUIRED', // no station in the folder yet: only the first-run choice answers
      'TRAINING_NOT_ALLOWED', // a real setting from training mode (PPL-2), refused at the gate
      'TRAINING_UNAVAILABLE', // no training ledger to switch the session to
      'UNAUTHORIZED',
      'WRONG_PIN',
    ]);
    expect(unexamined.every(isFinal)).toBe(true);
  });
});
