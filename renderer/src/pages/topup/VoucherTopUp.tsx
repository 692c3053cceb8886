// PAY-2: a deposit made at a postal branch against our 机构号, credited from its voucher
// (凭证号, branch, clerk, amount). A voucher can be credited once only: the backend refuses a
// second use with DUPLICATE_VOUCHER, shown here in plain Chinese.
import { Form, Input, Button, DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { channels } from '../../../../shared/contract';
import { call } from '../../api';
import { schemaRule } from '../../components/contract-rules';
import { normalizeMoney } from '../../money';
import { TopUpConfirm, useTopUpForm } from './TopUpConfirm';

const shape = channels['topup.voucher'].input.shape;

interface Values {
  voucherNo: string;
  branchCode: string;
  clerk: string;
  amount: string;
  depositedAt?: Dayjs | null;
}

export function VoucherTopUp() {
  const { t } = useTranslation();
  const { pending, nav, formProps } = useTopUpForm<Values>();

  if (pending) {
    const amount = normalizeMoney(pending.amount) ?? pending.amount;
    return (
      <TopUpConfirm
        testId="voucher"
        amount={amount}
        rows={[
          { label: t('txn.voucherNo'), value: <span className="mono">{pending.voucherNo}</span> },
          { label: t('txn.branchCode'), value: pending.branchCode },
          { label: t('txn.clerk'), value: pending.clerk },
          {
            label: t('txn.depositedAt'),
            value: pending.depositedAt
              ? pending.depositedAt.format('YYYY-MM-DD HH:mm')
              : t('topup.depositedNow'),
          },
        ]}
        submit={(idempotencyKey) =>
          call('topup.voucher', {
            voucherNo: pending.voucherNo.trim(),
            branchCode: pending.branchCode.trim(),
            clerk: pending.clerk.trim(),
            amount,
            ...(pending.depositedAt
              ? { depositedAt: pending.depositedAt.format('YYYY-MM-DDTHH:mm:ssZ') }
              : {}),
            idempotencyKey,
          })
        }
        {...nav}
      />
    );
  }

  return (
    <Form<Values> {...formProps} requiredMark data-testid="voucher-form">
      <Form.Item
        name="voucherNo"
        label={t('txn.voucherNo')}
        rules={[schemaRule(shape.voucherNo)]}
        extra={t('topup.voucherNoHint')}
      >
        <Input size="large" autoFocus autoComplete="off" maxLength={32} data-testid="voucher-no" />
      </Form.Item>
      <Form.Item name="branchCode" label={t('txn.branchCode')} rules={[schemaRule(shape.branchCode)]}>
        <Input
          size="large"
          autoComplete="off"
          maxLength={12}
          inputMode="numeric"
          data-testid="voucher-branch"
        />
      </Form.Item>
      <Form.Item name="clerk" label={t('txn.clerk')} rules={[schemaRule(shape.clerk)]}>
        <Input size="large" autoComplete="off" maxLength={20} data-testid="voucher-clerk" />
      </Form.Item>
      <Form.Item name="amount" label={t('topup.amount')} rules={[schemaRule(shape.amount)]}>
        <Input
          size="large"
          autoComplete="off"
          inputMode="decimal"
          suffix={t('money.unit')}
          className="money-input"
          data-testid="voucher-amount"
        />
      </Form.Item>
      <Form.Item name="depositedAt" label={t('txn.depositedAt')} extra={t('topup.depositedAtHint')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Button type="primary" size="large" htmlType="submit" data-testid="voucher-next">
        {t('topup.next')}
      </Button>
    </Form>
  );
}
