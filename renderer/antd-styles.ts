// antd's styles for the UI's theme, drawn at build time (issue 13, Performance). antd 5 makes
// each component's CSS in the browser the first time it is rendered (CSS-in-JS): on the counter's
// first draw that was most of the main thread's time. The build renders the components the UI
// uses once in Node, extracts their CSS with the cache map antd's runtime reads
// (@ant-design/cssinjs: a `.data-ant-cssinjs-cache-path` rule naming every style it holds), and
// index.html links it: in the browser antd then finds each of these styles already there and
// skips making it. A component not drawn here still gets its style made at run time, as before.
import { createElement as h, type ComponentType, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { createCache, extractStyle, StyleProvider } from '@ant-design/cssinjs';
import * as antd from 'antd';
import { BUTTON, THEME } from './src/app/theme';

/** The antd components the first screens draw (the login, the shell, the counter's flow: the
 *  first script). Their styles are in the stylesheet every load waits on. */
export const ANTD_FIRST_DRAW = [
  'Alert',
  'Button',
  'Checkbox',
  'Input',
  'Layout',
  'Radio',
  'Segmented',
  'Space',
  'Spin',
  'Switch',
  'Tag',
  'Typography',
] as const;

/** The antd components drawn only after the first screen — the navigation and the counter's side
 *  column (drawn just after it: components/after-first-draw.tsx), the dialogs and tooltips, the
 *  other screens' cards. Their styles are a second stylesheet, fetched once the first screen is
 *  drawn (app/later-styles.ts): the first one, which every load parses before anything shows,
 *  is then less than half the size. Tables, date pickers and the like are in neither: they make
 *  their styles when a screen that has them is opened. */
export const ANTD_AFTER_FIRST_DRAW = [
  'Badge',
  'Card',
  'Col',
  'Descriptions',
  'Menu',
  'Modal',
  'Progress',
  'Row',
  'Statistic',
  'Tooltip',
] as const;

type Lib = Record<string, ComponentType<Record<string, unknown>>>;

/** The sub-components and the variants the first screens use that have styles of their own. */
function firstDrawVariants(): ReactNode[] {
  return [
    h(antd.Input.Password, { key: 'pw' }),
    h(antd.Input.TextArea, { key: 'ta' }),
    h(antd.Radio.Group, { key: 'rg' }),
    h(antd.Radio.Button, { key: 'rb' }),
    h(antd.Typography.Text, { key: 'tt' }),
    h(antd.Typography.Title, { key: 'tl' }),
    h(antd.Space.Compact, { key: 'sc' }),
    h(antd.Layout.Sider, { key: 'ls' }),
    h(antd.Layout.Header, { key: 'lh' }),
    h(antd.Layout.Content, { key: 'lc' }),
    // A coloured Tag (the header's 演示/练习 badges, the side column's standing) draws the preset
    // colours' and the status colours' styles, one block each.
    h(antd.Tag, { key: 'tag-preset', color: 'blue' }),
    h(antd.Tag, { key: 'tag-status', color: 'success' }),
  ];
}

/** antd's record of the styles a stylesheet holds: one rule whose content lists them. antd's
 *  runtime reads it once, at its first style, from whatever rule wins. */
const CACHE_MAP = /\.data-ant-cssinjs-cache-path\{content:"([^"]*)";\}/;

/** The CSS text for THEME: `first` (the first screens' components, with antd's record of both
 *  sheets, so that the runtime makes neither set's styles) and `later` (the rest). */
export function antdStaticCss(): { first: string; later: string } {
  const cache = createCache();
  const lib = antd as unknown as Lib;
  const draw = (parts: ReactNode[]) =>
    renderToString(
      h(StyleProvider, { cache }, h(antd.ConfigProvider, { theme: THEME, button: BUTTON }, ...parts)),
    );
  draw([...ANTD_FIRST_DRAW.map((name) => h(lib[name]!, { key: name })), ...firstDrawVariants()]);
  const first = extractStyle(cache, { plain: true, once: true });
  // The same cache: what the first sheet has (the theme's tokens, the shared resets) is not
  // written again.
  draw(ANTD_AFTER_FIRST_DRAW.map((name) => h(lib[name]!, { key: name })));
  const later = extractStyle(cache, { plain: true, once: true });
  const firstMap = CACHE_MAP.exec(first);
  const laterMap = CACHE_MAP.exec(later);
  if (!firstMap || !laterMap) throw new Error("antd's style record is missing from the extracted CSS");
  return {
    first: first.replace(
      CACHE_MAP,
      () => `.data-ant-cssinjs-cache-path{content:"${firstMap[1]};${laterMap[1]}";}`,
    ),
    later: later.replace(CACHE_MAP, ''),
  };
}

/** antd's map token for THEME's seed (colour palettes and sizes), worked out here once instead of
 *  in the browser at every start (App.tsx: `virtual:yizhan-antd-map-token`). */
export function antdMapToken(): Record<string, unknown> {
  return { ...antd.theme.defaultAlgorithm({ ...antd.theme.defaultSeed, ...THEME.token }) };
}
