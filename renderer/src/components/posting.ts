// A posting the operator confirms in a dialog or step (a top-up, a reversal): posted once — the
// idempotency key is made at the confirmation and reused for every retry after an outcome left
// unknown (`locked`), so it is never posted twice — then the station's figures refresh and its
// slip prints. One at a time: a second confirmation while one is in flight, or after it is done,
// does nothing.
import { useCallback, useRef, useState } from 'react';
import type { TxnDto } from '../../../shared/contract';
import { ApiError, newIdempotencyKey } from '../api';
import { useStation } from '../app/station-context';
import { usePrint } from './print-outcome';

export function usePosting() {
  const { afterPosting } = useStation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<TxnDto | null>(null);
  const [preview, setPreview] = useState(false);
  const key = useRef<string | null>(null);
  const flying = useRef(false);
  const printer = usePrint();
  const locked = error instanceof ApiError && error.outcomeUnknown;

  /** Nothing in flight and nothing posted yet. */
  const idle = () => !flying.current && !done;

  async function post(submit: (idempotencyKey: string) => Promise<TxnDto>, onPosted?: (txn: TxnDto) => void) {
    if (!idle()) return;
    flying.current = true;
    setBusy(true);
    // Same confirmation, same key: a retry after an unknown outcome must not post twice.
    if (!key.current || !locked) key.current = newIdempotencyKey();
    try {
      const txn = await submit(key.current);
      setDone(txn);
      setError(null);
      afterPosting();
      onPosted?.(txn);
      void printer.print(txn.txnId);
    } catch (e) {
      setError(e);
    } finally {
      flying.current = false;
      setBusy(false);
    }
  }

  /** A fresh start (the dialog opened again). The same function at every draw, so that an effect
   *  may list it without running again at each one. */
  const resetPrinter = printer.reset;
  const reset = useCallback(() => {
    setError(null);
    setDone(null);
    key.current = null;
    resetPrinter();
  }, [resetPrinter]);

  return { busy, error, setError, done, preview, setPreview, locked, printer, idle, post, reset };
}
