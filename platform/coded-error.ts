// A platform refusal: a stable code, its HTTP status and its Chinese message, answered as
// { ok: false, error: { code, message, details } } like the station backend (shared/errors.ts).
// The monitor (errors.ts) and the branch console (office/errors.ts) each keep their own codes,
// statuses and catalogue; this is the one shape they share.

export interface CodedErrorReply<C extends string> {
  ok: false;
  error: { code: C; message: string; details: Record<string, unknown> };
}

export abstract class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
  reply(): CodedErrorReply<C> {
    return { ok: false, error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** The refusal class of one catalogue: `new X(code, details)` takes its status and its Chinese
 *  message from the two tables, so neither can be forgotten for a code. */
export function codedErrorClass<C extends string>(
  name: string,
  statusOf: Readonly<Record<C, number>>,
  messageOf: Readonly<Record<C, string>>,
) {
  return class extends CodedError<C> {
    constructor(code: C, details: Record<string, unknown> = {}) {
      super(code, messageOf[code], statusOf[code], details);
      this.name = name;
    }
  };
}
