// The first thing the entry script runs (main.tsx imports it before React, antd and the screens):
// connect to the backend and ask the start-up questions (app/startup.ts) at once, so their
// answers travel while the rest of the script — most of its 800 KB — is still being run
// (issue 13, Performance).
import { ensureApi } from './api-browser';
import { prefetchStartup } from './app/startup';

// The customer-facing display (browser mode: /customer; Electron's second screen: #/customer).
// It mirrors the counter through this machine's storage and never touches the API.
export const customer = location.pathname === '/customer' || location.hash === '#/customer';

/** False: browser mode opened without its token. */
export const connected = !customer && ensureApi();

/** Resolves once the first screen's answers are in (at once when there is nothing to ask). */
export const startupAnswered: Promise<void> = connected ? prefetchStartup() : Promise.resolve();
