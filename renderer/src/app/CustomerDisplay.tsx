// The customer-facing display (issue 13): the second screen in Electron, the /customer page in
// browser mode. It shows what the counter publishes (customer-feed.ts) in large type — the bill,
// 收您 and 找您 as they are called out, a thank-you — and needs no access to the station's API.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { readCustomerView, subscribeCustomerView, type CustomerView } from './customer-feed';
import { serviceKey } from '../components/labels';

export function CustomerDisplay() {
  const { t } = useTranslation();
  const [view, setView] = useState<CustomerView>(readCustomerView);
  useEffect(() => subscribeCustomerView(setView), []);
  useEffect(() => {
    document.title = t('customer.title');
  }, [t]);
  return (
    <main className="customer-display" data-testid="customer-display" data-phase={view.phase} lang="zh-CN">
      <header className="customer-head">
        {t('customer.title')}
        {view.phase !== 'idle' && (view.training || view.demo) && (
          <span className="customer-demo" data-testid="customer-mark">
            {t(view.training ? 'customer.training' : 'customer.demo')}
          </span>
        )}
      </header>
      {view.phase === 'idle' ? (
        <div className="customer-welcome">{t('customer.welcome')}</div>
      ) : (
        <section className="customer-bill" aria-live="polite">
          <div className="customer-row">
            <span>{t('customer.service')}</span>
            <span>{t(serviceKey(view.service))}</span>
          </div>
          <div className="customer-row">
            <span>{t('customer.payee')}</span>
            <span data-testid="customer-payee">{view.payeeMasked}</span>
          </div>
          <div className="customer-row">
            <span>{t('customer.due')}</span>
            <span>{t('customer.yuan', { amount: view.amountDue })}</span>
          </div>
          <div className="customer-row">
            <span>{t('customer.fee')}</span>
            <span>{t('customer.yuan', { amount: view.fee })}</span>
          </div>
          <div className="customer-row customer-total">
            <span>{t('customer.total')}</span>
            <span data-testid="customer-total">{t('customer.yuan', { amount: view.total })}</span>
          </div>
          {callouts(view, t).map(([testId, text, className]) => (
            <div key={testId} className={className} data-testid={testId}>
              {text}
            </div>
          ))}
        </section>
      )}
    </main>
  );
}

type Callout = [testId: string, text: string, className: 'customer-call' | 'customer-thanks'];

/** What is called out below the bill in each phase (唱收唱付): 收您 and 找您 once the payment is
 *  confirmed, 收您 and "please wait" while the central system has not answered, the refund when
 *  it failed, and a thank-you at the end. */
function callouts(view: CustomerView, t: TFunction): Callout[] {
  switch (view.phase) {
    case 'callback':
    case 'done':
      return [
        ['customer-received', t('callback.received', { amount: view.cash }), 'customer-call'],
        ['customer-change', t('callback.change', { amount: view.change }), 'customer-call'],
        ...(view.phase === 'done'
          ? [['customer-thanks', t('customer.thanks'), 'customer-thanks'] satisfies Callout]
          : []),
      ];
    case 'waiting':
      return [
        ['customer-received', t('callback.received', { amount: view.cash }), 'customer-call'],
        ['customer-waiting', t('customer.waiting'), 'customer-thanks'],
      ];
    case 'refund':
      return [['customer-refund', t('customer.refund', { amount: view.cash }), 'customer-call']];
    default:
      return [];
  }
}
