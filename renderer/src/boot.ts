// A script of its own, run first (index.html gets its tag ahead of main.tsx's: vite.config.ts,
// bootEntry): connect to the backend and ask the start-up questions (app/startup.ts) at once, so
// their answers travel while the main script — React, antd, the counter: most of the first
// load — is still being fetched and compiled (issue 13, Performance). main.tsx imports this same
// module for its answers.
import { ensureApi } from './api-browser';
import { prefetchStartup } from './app/startup';

// The customer-facing display (browser mode: /customer; Electron's second screen: #/customer).
// It mirrors the counter through this machine's storage and never touches the API.
export const customer = location.pathname === '/customer' || location.hash === '#/customer';

/** False: browser mode opened without its token. */
export const connected = !customer && ensureApi();

/** Resolves once the first screen's answers are in (at once when there is nothing to ask). */
export const startupAnswered: Promise<void> = connected ? prefetchStartup() : Promise.resolve();
