// The antd theme of the whole UI: ConfigProvider (App.tsx) and the build, which draws antd's
// styles for it ahead of time (renderer/antd-styles.ts), share it.
// A plain object (no antd import), so the build's Node side reads it too.
export const THEME = {
  token: {
    colorPrimary: '#00703c', // China Post green
    colorLink: '#00703c',
    fontSize: 15,
    // antd's grey for secondary text (0.45 alpha) is below WCAG AA contrast on white; this is 5.9:1.
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    // antd's red (#ff4d4f) on white is 3.2:1; this one is 5.9:1 (冲正 buttons, refusals).
    colorError: '#cf1322',
    borderRadius: 6,
    fontFamily:
      '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Menu: { itemSelectedBg: '#e3f2ea', itemSelectedColor: '#00703c', itemHeight: 44 },
    // A tag's text in the darkest shade of its colour: antd's (shade 7, or the status colour) is
    // below WCAG AA contrast on the tag's pale background (axe, issue 13). Only tags take these.
    Tag: {
      green7: '#135200',
      orange7: '#873800',
      blue7: '#003a8c',
      red7: '#820014',
      gold7: '#613400',
      purple7: '#22075e',
      cyan7: '#00474f',
      colorSuccess: '#135200',
      colorWarning: '#873800',
      colorInfo: '#003a8c',
      colorError: '#820014',
    },
  },
};

/** No space put between two Chinese characters of a button. */
export const BUTTON = { autoInsertSpace: false } as const;
