// What the counter's amount steps (cash received, a customer-chosen amount) show under the typed
// amount: what it comes to once it reads, or why it is refused, with the refusal's code.
import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import { Money } from '../../components/Money';
import type { TypedAmountFault } from '../../money';

export function AmountPreview({ testId, label, value }: { testId: string; label: string; value: string }) {
  return (
    <div className="change-preview" data-testid={testId}>
      {label} <Money value={value} size="lg" />
    </div>
  );
}

export function AmountRefusal({ testId, code, message }: { testId: string; code: string; message: string }) {
  return <Alert type="error" showIcon data-testid={testId} data-code={code} message={message} />;
}

/** The step's own words (`cash.*`, `chosen.*`) for a typed amount that is not one. */
export function typedFaultMessage(t: TFunction, step: 'cash' | 'chosen', reason: TypedAmountFault): string {
  return reason === 'zero'
    ? t(`${step}.zero`)
    : reason === 'negative'
      ? t(`${step}.negative`)
      : t(`${step}.badFormat`);
}
