// The renderer shows a backend refusal in the UI's language, from its code and details. This file
// type-checks with the renderer (DOM) project: tsconfig.node.json leaves tests/unit/renderer out.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { YizhanError } from '../../../shared/errors';
import { parseArgs } from '../../../shared/contract';
import i18n from '../../../renderer/src/i18n';
import { ErrorAlert } from '../../../renderer/src/components/ErrorAlert';
import { ApiError } from '../../../renderer/src/api';

const HAN = /[\u4e00-\u9fff]/;

const rendered = (error: ApiError) =>
  renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(ErrorAlert, { error })));

describe('the renderer shows refusals in its language', () => {
  it('formats a backend refusal in en and in zh-CN', async () => {
    const backend = new YizhanError('INSUFFICIENT_FLOAT', {
      shortfall: '12.30',
      available: '84.20',
      needed: '96.50',
      variant: 'payment',
    }).toJSON();
    const err = new ApiError(backend.code, backend.message, backend.details, true);
    const render = () => rendered(err);

    await i18n.changeLanguage('en');
    const en = render();
    expect(en).toContain(
      'The prepaid float is too low: this payment needs 96.50 yuan, 84.20 yuan available, 12.30 yuan short; please top up first',
    );
    expect(en).toContain('INSUFFICIENT_FLOAT');
    expect(HAN.test(en)).toBe(false);

    await i18n.changeLanguage('zh-CN');
    const zh = render();
    expect(zh).toContain(backend.message);
    expect(backend.message).toBe('预存款余额不足：本笔需 96.50 元，可用 84.20 元，还差 12.30 元，请先充值');

    // A screen's own error keeps its own (already translated) text.
    const local = new ApiError('INVALID_INPUT', 'typed here');
    expect(rendered(local)).toContain('typed here');
  });

  it('an argument refused by its schema reads in English on the English screen, in Chinese on the Chinese one', async () => {
    let refusal: YizhanError | undefined;
    try {
      parseArgs('txn.get', { serial: '2026-11-28' });
    } catch (e) {
      refusal = e as YizhanError;
    }
    const backend = refusal!.toJSON();
    expect(backend.code).toBe('INVALID_INPUT');
    const err = new ApiError(backend.code, backend.message, backend.details, true);
    const render = () => rendered(err);
    await i18n.changeLanguage('en');
    const en = render();
    expect(en).toContain('Invalid input');
    expect(HAN.test(en), en).toBe(false);
    await i18n.changeLanguage('zh-CN');
    const zh = render();
    expect(zh).toContain(backend.message);
    expect(HAN.test(backend.message)).toBe(true);
  });
});
