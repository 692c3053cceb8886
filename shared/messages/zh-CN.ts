// The refusal messages in Chinese (zh-CN), in zh-CN.json: keyed by error code and then by variant:
// `default`, or the `variant` a throw site puts in the error's details when one code has several
// distinct messages. `{{name}}` is filled from the details (the same syntax as the renderer's
// i18next). The backend fills every reply's `message` from this catalogue; the renderer shows it
// (or en.json, which index.ts checks has the same codes and variants). The texts are data files,
// like the renderer's locales, so that a translator edits JSON and nothing else.
import zhCNMessages from './zh-CN.json' with { type: 'json' };

export const zhCN = zhCNMessages;

/** The shape every language's catalogue must have: the same codes and variants. */
export type MessageCatalogue = {
  readonly [C in keyof typeof zhCN]: { readonly [V in keyof (typeof zhCN)[C]]: string };
};
