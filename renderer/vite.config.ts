// The renderer's build: `npm run build:renderer` → out/renderer (served by browser mode and
// loaded by Electron from disk, hence relative asset paths).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

/** antd's styles for the UI's theme made at build time (antd-styles.ts), in two sheets. The first
 *  screens' is linked ahead of the app's own stylesheet (which overrides some of them, as it did
 *  antd's run-time styles); the rest is `virtual:yizhan-antd-later-css`'s URL, which the app links
 *  right after the first one once the first screen is drawn (app/later-styles.ts). Outside a
 *  build that URL is null: antd makes every style at run time, as it always has in development. */
const LATER_CSS_ID = 'virtual:yizhan-antd-later-css';
function antdStaticStyles(): Plugin {
  let fileName = '';
  let laterRef = '';
  let building = false;
  return {
    name: 'yizhan-antd-static-styles',
    configResolved(config) {
      building = config.command === 'build';
    },
    async buildStart() {
      if (!building) return;
      // antd names its styles' classes differently outside production builds.
      process.env['NODE_ENV'] = 'production';
      const { antdStaticCss } = await import('./antd-styles');
      const { first, later } = antdStaticCss();
      const hash = (css: string) => crypto.createHash('sha256').update(css).digest('base64url').slice(0, 8);
      fileName = `assets/antd-${hash(first)}.css`;
      this.emitFile({ type: 'asset', fileName, source: first });
      laterRef = this.emitFile({
        type: 'asset',
        fileName: `assets/antd-later-${hash(later)}.css`,
        source: later,
      });
    },
    resolveId: (id) => (id === LATER_CSS_ID ? `\0${LATER_CSS_ID}` : undefined),
    load(id) {
      if (id !== `\0${LATER_CSS_ID}`) return undefined;
      return building ? `export default import.meta.ROLLUP_FILE_URL_${laterRef};` : 'export default null;';
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!building) return html;
        // The stylesheets go to the end of the body, antd's first: the static shell above them
        // (index.html's 「正在启动」, styled inline) paints without waiting for them, while the
        // module script still runs only once they are in (scripts wait on pending stylesheets),
        // so antd finds its styles there.
        const sheets = [`<link rel="stylesheet" crossorigin href="./${fileName}">`];
        const rest = html.replace(/\s*<link rel="stylesheet"[^>]*>/g, (tag) => {
          sheets.push(tag.trim());
          return '';
        });
        if (sheets.length < 2) throw new Error('index.html: the app stylesheet link is missing');
        return rest.replace('</body>', `  ${sheets.join('\n    ')}\n  </body>`);
      },
    },
  };
}

/** `virtual:yizhan-antd-map-token`: antd's map token for THEME, worked out at build time.
 *  antd derives it from the seed (the colour palettes of every preset colour…) in the browser
 *  before the first draw can start; App.tsx hands it to antd as the theme's algorithm instead
 *  (issue 13, Performance). The values are antd's own, so the class hashes and the static styles
 *  (antdStaticStyles, drawn with antd's algorithm) are the same. */
const MAP_TOKEN_ID = 'virtual:yizhan-antd-map-token';
function antdMapTokenModule(): Plugin {
  return {
    name: 'yizhan-antd-map-token',
    resolveId: (id) => (id === MAP_TOKEN_ID ? `\0${MAP_TOKEN_ID}` : undefined),
    async load(id) {
      if (id !== `\0${MAP_TOKEN_ID}`) return undefined;
      const { antdMapToken } = await import('./antd-styles');
      return `export default ${JSON.stringify(antdMapToken())};`;
    },
  };
}

/** boot.ts as an entry of its own, its script tag ahead of the main one: its chunk (connect, ask
 *  the start-up questions: about 30 KB) runs as soon as it is in, while the main script (React,
 *  antd, the counter: most of the first load) is still being fetched and compiled, so the answers
 *  travel meanwhile instead of after it (issue 13, Performance). main.tsx imports the same module
 *  (one instance: the main chunk imports the boot chunk). Vite would fold a second module script
 *  of index.html into the one entry, hence the input here and the tag added after the build. */
function bootEntry(): Plugin {
  return {
    name: 'yizhan-boot-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const boot = Object.values(ctx.bundle ?? {}).find(
          (out) => out.type === 'chunk' && out.isEntry && out.name === 'boot',
        );
        if (!boot) throw new Error('the boot entry chunk is missing from the build');
        const main = /<script type="module" crossorigin src="[^"]+"><\/script>/.exec(html);
        if (!main) throw new Error('index.html: the main module script is missing');
        const tag = `<script type="module" crossorigin src="./${boot.fileName}"></script>`;
        return html.replace(main[0], `${tag}\n    ${main[0]}`);
      },
    },
  };
}

/** Browser mode sends the scripts and stylesheets compressed. Compressing them at each request
 *  (@fastify/compress) cost the station's CPU and the tab's first load its wait: the build writes
 *  a `.br` (best quality) and a `.gz` beside each, which the server sends as they are
 *  (backend/transport/http.ts, @fastify/static `preCompressed`). Electron reads the plain files. */
const PRECOMPRESSED_MIN_BYTES = 1024;
function precompressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'yizhan-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const [fileName, out] of Object.entries(bundle)) {
        if (!/^assets\/.+\.(js|css)$/.test(fileName)) continue;
        const body = Buffer.from(out.type === 'chunk' ? out.code : out.source);
        if (body.length < PRECOMPRESSED_MIN_BYTES) continue;
        const file = path.join(outDir, fileName);
        const br = zlib.brotliCompressSync(body, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        });
        fs.writeFileSync(`${file}.br`, br);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), antdStaticStyles(), antdMapTokenModule(), bootEntry(), precompressAssets()],
  // A locale file becomes one JSON.parse of a string, which V8 reads far faster than the same
  // data as an object literal in the script (issue 13, Performance).
  json: { namedExports: false, stringify: true },
  build: {
    outDir: path.resolve(here, '../out/renderer'),
    emptyOutDir: true,
    // CSP `script-src 'self'`: no inline scripts, so no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    // The first script holds the shell and the counter; the other screens are lazy chunks.
    chunkSizeWarningLimit: 1_000,
    sourcemap: false,
    rollupOptions: {
      input: { index: path.join(here, 'index.html'), boot: path.join(here, 'src', 'boot.ts') },
      output: {
        // Vendor chunks that change rarely (so an update re-fetches only the app's own code),
        // and ECharts kept whole in one chunk that only the screens with charts load. antd is
        // left to Rollup: one antd chunk would pull the tables and date pickers of every
        // screen into the counter's first load.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'vendor-react';
          if (/node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/.test(id))
            return 'vendor-echarts';
          if (/node_modules[\\/](i18next|react-i18next)[\\/]/.test(id)) return 'vendor-i18n';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // zod ships /*#__PURE__*/ comments in places Rollup cannot use; harmless noise.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: { port: 5181, strictPort: false },
});
