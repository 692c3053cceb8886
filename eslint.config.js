// Lint: typescript-eslint's recommended rules, plus import boundaries that keep each folder's
// runtime honest: shared/ is pure, db/ ↛ backend, backend ↛ electron, Electron main and the platform
// ↛ db/backend, the preload imports only electron, the renderer → shared only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const node = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net'];
const dom = ['electron', 'react', 'react-dom', 'react/*', 'react-dom/*'];
/** Any relative import that reaches into one of these top-level folders. */
const folders = (names) => names.flatMap((n) => [`**/${n}`, `**/${n}/**`]);
const restrict = (patterns, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'release/', 'test-results/', 'playwright-report/', '.scratch*', '.data/', 'tests/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Import boundaries by runtime (README "Layout"); tests/unit/lint-boundaries.test.ts proves each one bites.
  { files: ['shared/**/*.ts'], rules: restrict([...node, ...dom, 'better-sqlite3', ...folders(['db', 'backend', 'electron', 'renderer', 'scripts', 'platform'])], 'shared/ is runtime-neutral: no Node, DOM, electron or db imports') },
  { files: ['db/**/*.ts'], rules: restrict([...dom, ...folders(['backend', 'electron', 'renderer', 'scripts', 'platform'])], 'db/ is the station\'s SQL: it imports shared/ only') },
  { files: ['backend/**/*.ts'], rules: restrict([...dom, ...folders(['electron', 'renderer', 'scripts', 'platform'])], 'the backend is plain Node: shared/ and db/ only, never electron or React') },
  { files: ['electron/main/**/*.ts'], rules: restrict([...folders(['db', 'backend', 'renderer', 'scripts', 'platform']), 'better-sqlite3'], 'the Electron main process starts the backend and relays: it imports shared/ only') },
  { files: ['electron/preload/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!electron$).*', message: 'a sandboxed preload imports only electron' }] }] } },
  { files: ['platform/**/*.ts'], rules: restrict([...dom, ...folders(['db', 'backend', 'electron', 'renderer', 'scripts'])], 'the platform is its own server: shared/ only') },
  { files: ['renderer/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: ['renderer/**/*.{ts,tsx}'], ignores: ['renderer/vite.config.ts'], rules: restrict([...node, 'electron', 'better-sqlite3', ...folders(['db', 'backend', 'electron', 'scripts', 'platform'])], 'the renderer talks only to window.yizhan') },
  { files: ['tests/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
