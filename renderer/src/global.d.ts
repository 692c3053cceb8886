import type { YizhanApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Provided by the Electron preload; installed over fetch in browser mode (api-browser.ts). */
    yizhan?: YizhanApi;
  }
}
export {};
