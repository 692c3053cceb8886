// antd's second stylesheet (renderer/vite.config.ts, antdStaticStyles; renderer/antd-styles.ts):
// the styles of what is drawn only after the first screen — the navigation, the counter's side
// column, dialogs, tooltips, the other screens' cards. The first stylesheet, which every load
// parses before anything shows, is then less than half the size (issue 13, Performance). antd's
// record of the styles it need not make lists both sheets, so everything drawn from the second
// waits until it is in (withLaterStyles), or shows unstyled for a moment.
import href from 'virtual:yizhan-antd-later-css';

let linked: Promise<void> | undefined;

/** Links the second sheet, once, just after the first antd sheet (so the cascade is as it was:
 *  antd's styles, then the app's own); resolves when it is in. A sheet that fails to load does
 *  not hold the screens back. Nothing to do outside a build (antd makes its styles itself). */
export function laterStyles(): Promise<void> {
  if (!href) return Promise.resolve();
  const url = href;
  return (linked ??= new Promise<void>((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = url;
    link.onload = () => resolve();
    link.onerror = () => resolve();
    const first = document.querySelector('link[rel="stylesheet"][href*="antd-"]');
    if (first) first.after(link);
    else document.head.append(link);
  }));
}

/** A lazy component's `load` that resolves once the second sheet is in too. */
export function withLaterStyles<T>(load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), laterStyles()]).then(([loaded]) => loaded);
}
