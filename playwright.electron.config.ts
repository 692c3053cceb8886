// The Electron e2e suite (tests/electron): runs only where an Electron binary exists, and says so.
import { defineConfig } from '@playwright/test';
import { electronBinary } from './scripts/electron-binary';

if (!electronBinary()) {
  console.log(
    '\n*** Electron e2e suite SKIPPED: no Electron binary on this machine (node_modules/electron/dist is absent and cannot be downloaded here). The same UI and backend are tested in browser mode (tests/e2e). ***\n',
  );
}

export default defineConfig({
  testDir: 'tests/electron',
  reporter: [['list']],
  timeout: 60_000,
});
