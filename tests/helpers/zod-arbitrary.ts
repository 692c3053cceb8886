// fast-check arbitraries read off zod 4 schemas (the API contract's argument schemas), for the
// property test of every channel. zod-fast-check knows only zod 3, hence this small walker over
// `schema._zod.def`. It covers the kinds the contract uses; an unknown kind throws, so a new
// kind in the contract cannot silently go untested.
//
// `valid(schema)` aims at arguments the schema accepts (regexes via fc.stringMatching, lengths,
// integer bounds, enums, literals, optional and default fields), with `hints` by field name for
// values that reach deep into the backend (an existing transaction id, a day near the clock, a
// money string). `invalid(schema)` starts from a valid value and breaks it: a field of the wrong
// type, a missing required field, a control character or an over-long string, a number out of
// range, or any JSON at all.
import fc from 'fast-check';
import type { z } from 'zod';

type Def = { type: string; [k: string]: any };
type Hints = Record<string, fc.Arbitrary<unknown>>;

const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

interface Check {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
}
const checksOf = (d: Def): Check[] =>
  ((d['checks'] ?? []) as { _zod: { def: Check } }[]).map((c) => c._zod.def);

/** A decimal string in yuan, mostly well-formed, sometimes not. */
export const moneyString = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5_000_000 }).map((fen) => (fen / 100).toFixed(2)) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 50_000 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0',
      '0.00',
      '-1',
      '1e3',
      '1.001',
      '１２',
      ' 1',
      '1,000',
      '99999999.99',
      'NaN',
      '.5',
    ),
  },
);

export function valid(schema: z.ZodType, hints: Hints = {}, key?: string): fc.Arbitrary<unknown> {
  if (key !== undefined && hints[key]) return hints[key];
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      return stringArb(d);
    case 'number': {
      const cs = checksOf(d);
      const int = cs.some((c) => c.format === 'safeint' || c.format === 'int32');
      let min = -1_000_000;
      let max = 1_000_000;
      for (const c of cs) {
        if (c.check === 'greater_than') min = (c.value ?? 0) + (c.inclusive ? 0 : int ? 1 : 0.01);
        if (c.check === 'less_than') max = (c.value ?? 0) - (c.inclusive ? 0 : int ? 1 : 0.01);
      }
      return int
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d['entries'] as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(d['values'] as unknown[]));
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'optional':
      return fc.option(valid(d['innerType'], hints, key), { nil: undefined, freq: 3 });
    case 'default':
      return fc.option(valid(d['innerType'], hints, key), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(valid(d['innerType'], hints, key), { nil: null, freq: 4 });
    case 'union':
      return fc.oneof(...(d['options'] as z.ZodType[]).map((o) => valid(o, hints, key)));
    case 'array':
      return fc.array(valid(d['element'], hints), { maxLength: 4 });
    case 'pipe': {
      // A string piped into a transform is the contract's money(): a decimal string.
      const inner = defOf(d['in']);
      if (inner.type === 'string' && defOf(d['out']).type === 'transform') return moneyString;
      return valid(d['in'], hints, key);
    }
    case 'object': {
      const shape = d['shape'] as Record<string, z.ZodType>;
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) parts[k] = valid(v, hints, k);
      return fc.record(parts).map((o) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
        return out;
      });
    }
    default:
      throw new Error(`zod-arbitrary: no generator for zod type "${d.type}"`);
  }
}

function stringArb(d: Def): fc.Arbitrary<string> {
  if (d['format'] === 'datetime')
    return fc
      .date({
        min: new Date('2026-01-01T00:00:00Z'),
        max: new Date('2027-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((t) => t.toISOString());
  const cs = checksOf(d);
  let minLength = 0;
  let maxLength = 40;
  let pattern: RegExp | undefined;
  for (const c of cs) {
    if (c.check === 'min_length') minLength = c.minimum ?? 0;
    if (c.check === 'max_length') maxLength = Math.min(c.maximum ?? maxLength, 200);
    if (c.check === 'string_format' && c.format === 'regex') pattern = c.pattern;
  }
  if (pattern) {
    const p = pattern;
    return fc
      .stringMatching(p, { size: 'small' })
      .map((s) => (s.length > maxLength ? s.slice(0, maxLength) : s))
      .filter((s) => s.length >= minLength && p.test(s));
  }
  return fc.string({ minLength: Math.max(minLength, 0), maxLength, unit: 'grapheme' });
}

/** Control characters a text field must refuse (C0 but tab… all of them, DEL, C1, line/paragraph separators). */
export const CONTROL_CHARS = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
];

export const controlChar = fc.constantFrom(...CONTROL_CHARS);

/** Ways to break an argument; the result may still happen to be valid (the test checks the
 *  outcome either way, it only needs "never INTERNAL, nothing written on a refusal"). */
export function invalid(schema: z.ZodType, hints: Hints = {}): fc.Arbitrary<unknown> {
  const base = valid(schema, hints);
  const wrongValue = fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, -1, 0, 0.5),
    fc.string({ maxLength: 8 }),
    fc.string({ minLength: 300, maxLength: 2_000 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    fc.constantFrom(
      '__proto__',
      'constructor',
      '../../etc/passwd',
      "'; DROP TABLE txns; --",
      '%00',
      '\u0000',
    ),
  );
  const mutateObject = (o: Record<string, unknown>) => {
    const keys = Object.keys(o);
    return fc.oneof(
      // one field replaced by something of another kind
      keys.length === 0
        ? fc.constant(o)
        : fc.tuple(fc.constantFrom(...keys), wrongValue).map(([k, v]) => ({ ...o, [k]: v })),
      // one field dropped
      keys.length === 0 ? fc.constant(o) : fc.constantFrom(...keys).map((k) => omit(o, k)),
      // a control character inserted into a text field
      stringKeys(o).length === 0
        ? fc.constant(o)
        : fc
            .tuple(fc.constantFrom(...stringKeys(o)), controlChar, fc.nat())
            .map(([k, c, at]) => ({ ...o, [k]: insertAt(String(o[k]), c, at) })),
      // an unknown field (zod strips it, or a strict object refuses it)
      fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), wrongValue).map(([k, v]) => ({ ...o, [k]: v })),
    );
  };
  const wrong: fc.Arbitrary<unknown> = wrongValue;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: base.chain((v): fc.Arbitrary<unknown> => (isPlainObject(v) ? mutateObject(v) : wrong)),
    },
    { weight: 2, arbitrary: wrong },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown> },
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function omit(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const { [k]: _gone, ...rest } = o;
  return rest;
}
function stringKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => typeof o[k] === 'string');
}
function insertAt(s: string, c: string, at: number): string {
  const i = s.length === 0 ? 0 : at % (s.length + 1);
  return s.slice(0, i) + c + s.slice(i);
}
