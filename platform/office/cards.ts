// Green Card numbers and deposit voucher numbers as the branch console takes them.

/** Card numbers: 16–19 digits (spaces and dashes as typed are dropped) with a valid Luhn digit. */
export function parseCardNumber(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^[0-9]{16,19}$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0 ? digits : undefined;
}

/** Only the first 6 (the bank's BIN) and the last 4 digits are kept. */
export function maskCard(digits: string): string {
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** The canonical voucher number: case and separators do not make a new voucher (PAY-2). */
export function canonicalVoucherNo(input: string): string {
  return input.replace(/[\s\-_/.]/g, '').toUpperCase();
}
