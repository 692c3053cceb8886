// The refusal message catalogues (zh-CN for the operators and API users, en for the English UI)
// and the one formatter the backend uses to fill a reply's `message`. The renderer loads the same
// catalogues into i18next under `errors.<CODE>.<variant>`; the syntax is i18next's `{{name}}`.
import { zhCN, type MessageCatalogue } from './zh-CN';
import { en } from './en';
import { formatFrom } from './format';

export { zhCN, en, type MessageCatalogue };
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
