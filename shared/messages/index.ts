// The refusal message catalogues (zh-CN for the operators and API users, en for the English UI)
// and the one formatter the backend uses to fill a reply's `message`. The renderer loads the same
// catalogues into i18next under `errors.<CODE>.<variant>`; the syntax is i18next's `{{name}}`.
import { zhCN, type MessageCatalogue } from './zh-CN';
import enMessages from './en.json' with { type: 'json' };
import { formatFrom } from './format';

/** English: en.json, held to zh-CN's codes and variants (a missing one is a compile error here). */
export const en: MessageCatalogue = enMessages;

export { zhCN, type MessageCatalogue };
export const MESSAGE_CATALOGUES = { 'zh-CN': zhCN, en } as const satisfies Record<string, MessageCatalogue>;
export type MessageLanguage = keyof typeof MESSAGE_CATALOGUES;

/** The message of an error in a language: its template with the details filled in. */
export function formatErrorMessage(
  lang: MessageLanguage,
  code: string,
  details: Readonly<Record<string, unknown>> = {},
): string {
  return formatFrom(MESSAGE_CATALOGUES[lang], lang, code, details);
}
