// What the operator typed (or an input method / scanner sent) into the account field, checked
// without ever changing the number silently (issue 13 problem 5): full-width digits become ASCII
// digits, spaces and hyphens are dropped (and the counter says so), anything else is refused with
// the character and its position — `33O1234567` (letter O) must not become `331234567`.

export type AccountInputCheck =
  | { ok: true; account: string; /** Spaces or hyphens were removed. */ dropped: boolean }
  | {
      ok: false;
      /** The first character that is not a digit, space or hyphen. */ bad: string;
      position: number;
    };

/** Full-width digits, hyphen-minus and ideographic space to their ASCII forms; nothing else changes. */
export function toHalfWidth(raw: string): string {
  return raw.replace(/[\uFF10-\uFF19\uFF0D\u3000]/g, (c) => {
    if (c === '\u3000') return ' ';
    if (c === '\uFF0D') return '-';
    return String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30);
  });
}

const DROPPED = /[ \t\-\u2010-\u2015\u2212]/;

export function checkAccountInput(raw: string): AccountInputCheck {
  const s = toHalfWidth(raw).trim();
  let account = '';
  let dropped = false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c >= '0' && c <= '9') account += c;
    else if (DROPPED.test(c)) dropped = true;
    else return { ok: false, bad: c, position: i + 1 };
  }
  return { ok: true, account, dropped };
}
