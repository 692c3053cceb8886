// Reading a message out of one catalogue: the variant a code's details pick, the details as a
// language reads them, and the template filled in. Apart from index.ts so that what needs only
// the zh-CN catalogue (YizhanError, the renderer's first script) does not carry the English one.
import { zhCN, type MessageCatalogue } from './zh-CN';

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

/** Fills `{{name}}` from the details: strings and numbers as they are, anything else empty. */
export function interpolate(template: string, details: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const v = details[name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
  });
}

/** The message of an error from `catalogue` (in language `lang`): its template with the details
 *  filled in, or the catalogue's INTERNAL message for a code it does not know. */
export function formatFrom(
  catalogue: MessageCatalogue,
  lang: string,
  code: string,
  details: Readonly<Record<string, unknown>> = {},
): string {
  const [c, v] = messageKey(code, details);
  const table = catalogue as Record<string, Record<string, string>>;
  const t = table[c]?.[v] ?? table['INTERNAL']!['default']!;
  return interpolate(t, detailsFor(lang, details));
}
