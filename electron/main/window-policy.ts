// The window's security settings, in one place so a test can check them.
import { CSP } from '../../shared/csp';

export function webPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  } as const;
}

/** The customer-facing display's window: the same sandbox, and no preload (it has no API). */
export function displayPreferences() {
  const { preload: _none, ...rest } = webPreferences('');
  return rest;
}

export { CSP };

/** Navigation is denied everywhere: the app is one page. */
export function isNavigationAllowed(currentUrl: string, targetUrl: string): boolean {
  return targetUrl.split('#')[0] === currentUrl.split('#')[0];
}
