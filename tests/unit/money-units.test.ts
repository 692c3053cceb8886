// Money units are in the types: `Fen` (integer fen) and `YuanString` (the wire's decimal yuan).
// The @ts-expect-error lines are checked by `tsc -b`: if the brands stopped separating the units,
// the compile would fail here.
import { describe, expect, it } from 'vitest';
import { fen, formatFen, parseMoney, toFen, type Fen, type YuanString } from '../../shared/money';
import { money } from '../../shared/schemas';

function takesFen(f: Fen): number {
  return f;
}
function takesYuan(y: YuanString): string {
  return y;
}

describe('money units in the types', () => {
  it('parsers make Fen, formatters make YuanString, and the two do not mix', () => {
    const parsed = parseMoney('96.50');
    expect(takesFen(parsed)).toBe(9650);
    const wire = formatFen(parsed);
    expect(takesYuan(wire)).toBe('96.50');
    expect(takesFen(toFen(wire))).toBe(9650);
    // A parsed channel argument is Fen as well.
    const fromSchema: Fen = money().parse('12.30');
    expect(fromSchema).toBe(1230);

    // @ts-expect-error a yuan string is not fen
    takesFen(wire);
    // @ts-expect-error a plain number (it could be yuan) is not Fen without fen()
    takesFen(96.5);
    // @ts-expect-error fen are not a yuan string
    takesYuan(parsed);
    // @ts-expect-error any string is not a YuanString
    takesYuan('96.5');
  });

  it('fen() admits only whole numbers of fen', () => {
    expect(fen(9650)).toBe(9650);
    expect(() => fen(96.5)).toThrow(/not an integer number of fen/);
    expect(() => fen(Number.MAX_SAFE_INTEGER + 1)).toThrow();
  });
});
