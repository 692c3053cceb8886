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

/** The antd components of the first screen (the login, the shell, the counter: the first script).
 *  The other screens' components (tables, date pickers…) keep making their styles when opened:
 *  drawing them here would make the stylesheet every load waits on several times larger. */
export const ANTD_COMPONENTS = [
  'Alert',
  'App',
  'Badge',
  'Button',
  'Card',
  'Checkbox',
  'Col',
  'Descriptions',
  'Input',
  'Layout',
  'Menu',
  'Modal',
  'Progress',
  'Radio',
  'Row',
  'Segmented',
  'Space',
  'Spin',
  'Statistic',
  'Switch',
  'Tag',
  'Tooltip',
  'Typography',
] as const;

/** The CSS text (with antd's cache map) for THEME. */
export function antdStaticCss(): string {
  const cache = createCache();
  const lib = antd as unknown as Record<string, ComponentType<Record<string, unknown>>>;
  const parts: ReactNode[] = ANTD_COMPONENTS.map((name) => h(lib[name]!, { key: name }));
  // The sub-components and the variants the screens use that have styles of their own.
  parts.push(
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
  );
  renderToString(
    h(
      StyleProvider,
      { cache },
      h(antd.ConfigProvider, { theme: THEME, button: BUTTON }, h(antd.App, null, ...parts)),
    ),
  );
  return extractStyle(cache, { plain: true });
}

/** antd's map token for THEME's seed (colour palettes and sizes), worked out here once instead of
 *  in the browser at every start (App.tsx: `virtual:yizhan-antd-map-token`). */
export function antdMapToken(): Record<string, unknown> {
  return { ...antd.theme.defaultAlgorithm({ ...antd.theme.defaultSeed, ...THEME.token }) };
}
