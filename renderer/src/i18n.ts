// i18next with the two locale files bundled: zh-CN (the operators' language) first, en second.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';
import { MESSAGE_CATALOGUES } from '../../shared/messages';

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

void i18n.use(initReactI18next).init({
  // The refusal texts are shared with the backend (shared/messages), keyed errors.<CODE>.<variant>.
  resources: {
    'zh-CN': { translation: { ...zhCN, errors: MESSAGE_CATALOGUES['zh-CN'] } },
    en: { translation: { ...en, errors: MESSAGE_CATALOGUES.en } },
  },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  // i18next prints an advertisement with console.info at init. Under a debugger (DevTools, the
  // bench's and the e2e tests' Chromium) a console call captures the stack, and V8 re-reads the
  // whole first script for its source positions: about 130 ms of the counter's start (issue 13).
  showSupportNotice: false,
});
dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');

export function setLanguage(lang: Language): void {
  void i18n.changeLanguage(lang);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // ignore
  }
}

export default i18n;
