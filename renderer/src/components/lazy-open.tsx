// A dialog or drawer whose code is fetched the first time it opens (issue 13, Performance): the
// counter's first script carries neither the drawer, the descriptions nor the modal machinery.
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { withLaterStyles } from '../app/later-styles';

export function lazyWhenOpen<P extends { open: boolean }>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> {
  const Lazy = lazy(withLaterStyles(load)) as unknown as ComponentType<P>;
  function WhenOpen(props: P) {
    // Once opened it stays mounted, so its closing animation and state behave as before.
    const [opened, setOpened] = useState(props.open);
    useEffect(() => {
      if (props.open) setOpened(true);
    }, [props.open]);
    if (!opened && !props.open) return null;
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return WhenOpen;
}
