// Lint: typescript-eslint's recommended rules, plus import boundaries that keep each folder's
// runtime honest (shared/ is pure, renderer/ is DOM only, the backend never imports electron).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const node = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net'];
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
  { files: ['shared/**/*.ts'], rules: restrict([...node, 'electron', 'react', 'react-dom', '**/db/*', '**/electron/*', '**/renderer/*', 'better-sqlite3'], 'shared/ is runtime-neutral: no Node, DOM, electron or db imports') },
  { files: ['renderer/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  { files: ['renderer/**/*.{ts,tsx}'], ignores: ['renderer/vite.config.ts'], rules: restrict([...node, 'electron', '**/db/*', '**/electron/*', 'better-sqlite3'], 'the renderer talks only to window.yizhan') },
  { files: ['db/**/*.ts', 'electron/backend/**/*.ts', 'electron/printing/**/*.ts', 'electron/transport/**/*.ts', 'monitor/**/*.ts'], rules: restrict(['electron', 'react', 'react-dom', '**/renderer/*'], 'the backend is plain Node: no electron, no React') },
  { files: ['tests/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
