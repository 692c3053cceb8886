// i18next with zh-CN (the operators' language, and the fallback) bundled in the first script; en
// is a chunk of its own, loaded when chosen (i18next-resources-to-backend): it is half the
// translations' bytes, and every start of the counter parsed it (issue 13, Performance).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from './locales/zh-CN.json';
import { zhCN as zhErrors } from '../../shared/messages/zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'yizhan.lang';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // no storage: default
  }
  return 'zh-CN';
}

/** English: the UI's texts and the refusal texts, as one translation bundle. */
async function english(): Promise<Record<string, unknown>> {
  const [ui, errors] = await Promise.all([
    import('./locales/en.json'),
    import('../../shared/messages/en.json'),
  ]);
  return { ...ui.default, errors: errors.default };
}

/** Settles once the language the tab starts in is loaded (at once for zh-CN): main.tsx draws
 *  nothing before, so an English start never shows a Chinese first screen. */
export const languageReady: Promise<unknown> = i18n
  .use(initReactI18next)
  .use(resourcesToBackend((lng: string) => (lng === 'en' ? english() : Promise.resolve({}))))
  .init({
    // The refusal texts are shared with the backend (shared/messages), keyed errors.<CODE>.<variant>.
    resources: { 'zh-CN': { translation: { ...zhCN, errors: zhErrors } } },
    // zh-CN is given here; other languages come from the backend above when first used.
    partialBundledLanguages: true,
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    // i18next prints an advertisement with console.info at init. Under a debugger (DevTools, the
    // bench's and the e2e tests' Chromium) a console call captures the stack, and V8 re-reads the
    // whole first script for its source positions: about 130 ms of the counter's start (issue 13).
    showSupportNotice: false,
  })
  .then(() => dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn'));

export function setLanguage(lang: Language): void {
  void i18n.changeLanguage(lang).then(() => dayjs.locale(lang === 'en' ? 'en' : 'zh-cn'));
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // ignore
  }
}

export default i18n;
