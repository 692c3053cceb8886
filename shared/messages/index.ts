// The refusal message catalogues (zh-CN for the operators and API users, en for the English UI)
// and the one formatter the backend uses to fill a reply's `message`. The renderer loads the same
// catalogues into i18next under `errors.<CODE>.<variant>`; the syntax is i18next's `{{name}}`.
import { zhCN, type MessageCatalogue } from './zh-CN';
import { en } from './en';

export { zhCN, en, type MessageCatalogue };
export const MESSAGE_CATALOGUES = { 'zh-CN': zhCN, en } as const satisfies Record<string, MessageCatalogue>;
export type MessageLanguage = keyof typeof MESSAGE_CATALOGUES;

/** The details as a language's message reads them: a detail that is a text in Chinese (zod's
 *  wording of a problem, `issue`) may carry its English form beside it (`issueEn`); English
 *  messages take that form under the same name, so both catalogues keep the same placeholders. */
export function detailsFor(
  lang: string,
  details: Readonly<Record<string, unknown>> = {},
): Readonly<Record<string, unknown>> {
  if (!lang.startsWith('en')) return details;
  const out: Record<string, unknown> = { ...details };
  for (const [k, v] of Object.entries(details))
    if (k.endsWith('En') && k.length > 2 && typeof v === 'string') out[k.slice(0, -2)] = v;
  return out;
}

/** The catalogue key of an error: its code and the variant named in its details (or `default`). */
export function messageKey(code: string, details: Readonly<Record<string, unknown>> = {}): [string, string] {
  const variants = (zhCN as Record<string, Record<string, string>>)[code];
  const v = details['variant'];
  return [code, typeof v === 'string' && variants && Object.hasOwn(variants, v) ? v : 'default'];
}

/** The template of an error in a language, or undefined for a code the catalogue does not know. */
export function messageTemplate(
  lang: MessageLanguage,
  code: string,
  details: Readonly<Record<string, unknown>> = {},
): string | undefined {
  const [c, v] = messageKey(code, details);
  return (MESSAGE_CATALOGUES[lang] as Record<string, Record<string, string>>)[c]?.[v];
}

/** Fills `{{name}}` from the details: strings and numbers as they are, anything else empty. */
export function interpolate(template: string, details: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const v = details[name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
  });
}

/** The message of an error in a language: its template with the details filled in. */
export function formatErrorMessage(
  lang: MessageLanguage,
  code: string,
  details: Readonly<Record<string, unknown>> = {},
): string {
  const t = messageTemplate(lang, code, details) ?? messageTemplate(lang, 'INTERNAL')!;
  return interpolate(t, detailsFor(lang, details));
}
