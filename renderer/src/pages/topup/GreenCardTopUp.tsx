// PAY-3: self-service top-up from the Green Card bound to the station (shown masked), recorded
// with the bank's reference.
import { Form, Input, Button, Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { channels } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { schemaRule } from '../../components/contract-rules';
import { normalizeMoney } from '../../money';
import { TopUpConfirm, useTopUpForm } from './TopUpConfirm';

const shape = channels['topup.greenCard'].input.shape;

interface Values {
  amount: string;
  bankRef: string;
}

export function GreenCardTopUp() {
  const { t } = useTranslation();
  const { station } = useStation();
  const { pending, nav, formProps } = useTopUpForm<Values>();
  const card = station?.greenCardMasked ?? null;

  if (!card)
    return <Alert type="warning" showIcon message={t('topup.noCard')} description={t('topup.noCardHint')} />;

  if (pending) {
    const amount = normalizeMoney(pending.amount) ?? pending.amount;
    return (
      <TopUpConfirm
        testId="greencard"
        amount={amount}
        rows={[
          { label: t('txn.cardMasked'), value: <span className="mono">{card}</span> },
          { label: t('txn.bankRef'), value: <span className="mono">{pending.bankRef}</span> },
        ]}
        submit={(idempotencyKey) =>
          call('topup.greenCard', { amount, bankRef: pending.bankRef.trim(), idempotencyKey })
        }
        {...nav}
      />
    );
  }

  return (
    <Form<Values> {...formProps} data-testid="greencard-form">
      <Form.Item label={t('txn.cardMasked')}>
        <span className="mono card-masked" data-testid="card-masked">
          {card}
        </span>
      </Form.Item>
      <Form.Item name="amount" label={t('topup.amount')} rules={[schemaRule(shape.amount)]}>
        <Input
          size="large"
          autoFocus
          autoComplete="off"
          inputMode="decimal"
          suffix={t('money.unit')}
          className="money-input"
          data-testid="greencard-amount"
        />
      </Form.Item>
      <Form.Item
        name="bankRef"
        label={t('txn.bankRef')}
        rules={[schemaRule(shape.bankRef)]}
        extra={t('topup.bankRefHint')}
      >
        <Input size="large" autoComplete="off" maxLength={40} data-testid="greencard-ref" />
      </Form.Item>
      <Button type="primary" size="large" htmlType="submit" data-testid="greencard-next">
        {t('topup.next')}
      </Button>
    </Form>
  );
}
