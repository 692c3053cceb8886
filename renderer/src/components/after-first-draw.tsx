// What the operator does not need to start serving — the counter's side column, the navigation —
// is drawn just after the rest of the first screen rather than with it (issue 13, Performance):
// the first draw (the float, the account field with the cursor) is then about half the work.
// It follows at once, as a transition: React interrupts it for a key typed meanwhile.
import { startTransition, useEffect, useState } from 'react';

/** False on the first draw of the component that asks, true from the next one on. */
export function useAfterFirstDraw(): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => startTransition(() => setDrawn(true)), []);
  return drawn;
}
