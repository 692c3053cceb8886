// What the operator does not need to start serving — the counter's side column, the navigation —
// is drawn just after the rest of the first screen rather than with it (issue 13, Performance):
// the first draw (the float, the account field with the cursor) is then about half the work.
// It follows at once, as a transition: React interrupts it for a key typed meanwhile. Its code is
// a chunk of its own (lazyAfterFirstDraw), fetched while the first screen is drawn, so the first
// script the counter waits on does not carry it.
import {
  lazy,
  startTransition,
  Suspense,
  useEffect,
  useState,
  type ComponentType,
  type ReactElement,
} from 'react';
import { laterStyles } from '../app/later-styles';

/** False on the first draw of the component that asks, true from the next one on. */
export function useAfterFirstDraw(): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => startTransition(() => setDrawn(true)), []);
  return drawn;
}

/** `load`'s component, drawn just after the first draw; `placeholder` (which keeps the room the
 *  component takes, so nothing moves) until then and while its chunk is still on the way. The
 *  chunk is asked for when the first draw starts. */
export function lazyAfterFirstDraw<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
  placeholder: ReactElement | null = null,
): ComponentType<P> {
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const start = () => (loading ??= load());
  // Drawn once its chunk and antd's second stylesheet (app/later-styles.ts) are both in.
  const Lazy = lazy(() =>
    Promise.all([start(), laterStyles()]).then(([m]) => m),
  ) as unknown as ComponentType<P>;
  function AfterFirstDraw(props: P) {
    void start();
    const drawn = useAfterFirstDraw();
    if (!drawn) return placeholder;
    return (
      <Suspense fallback={placeholder}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return AfterFirstDraw;
}
