// PAY-5 「营业款…及时结算」: cash taken out of the drawer for settlement — handed to the owner, or
// deposited at a postal branch as a top-up of the float (with the branch's voucher, PAY-2).
import { useState } from 'react';
import { Button, Card, Input, Segmented, Space, Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, call, newIdempotencyKey } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { normalizeMoney } from '../../money';
import { YuanInput } from '../../components/fields';

export function TakingsSettle({ onSettled }: { onSettled: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'owner' | 'deposit'>('owner');
  const [amount, setAmount] = useState('');
  const [voucherNo, setVoucherNo] = useState('');
  const [branchCode, setBranchCode] = useState('');
  const [clerk, setClerk] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [key, setKey] = useState(() => newIdempotencyKey());

  const amt = normalizeMoney(amount);
  const valid =
    amt !== null &&
    amt !== '0.00' &&
    (mode === 'owner' || (voucherNo.trim() && branchCode.trim() && clerk.trim()));

  const submit = async () => {
    if (!amt) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const n = note.trim() || undefined;
      const r =
        mode === 'owner'
          ? await call('takings.settle', { mode: 'owner', amount: amt, note: n, idempotencyKey: key })
          : await call('takings.settle', {
              mode: 'deposit',
              amount: amt,
              voucherNo: voucherNo.trim(),
              branchCode: branchCode.trim(),
              clerk: clerk.trim(),
              note: n,
              idempotencyKey: key,
            });
      setDone(t('day.settle.done', { amount: r.amount, serial: r.serial }));
      setAmount('');
      setVoucherNo('');
      setNote('');
      setKey(newIdempotencyKey());
      onSettled();
    } catch (e) {
      // A final refusal frees the key; an unknown outcome keeps it for the retry.
      if (!(e instanceof ApiError && e.outcomeUnknown)) setKey(newIdempotencyKey());
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('day.settle.title')} data-testid="takings-settle">
      <div className="stack">
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as 'owner' | 'deposit')}
          options={[
            { value: 'owner', label: t('day.settle.owner') },
            { value: 'deposit', label: t('day.settle.deposit') },
          ]}
        />
        <YuanInput
          value={amount}
          onChange={setAmount}
          placeholder={t('day.settle.amount')}
          data-testid="settle-amount"
        />
        {mode === 'deposit' && (
          <Space wrap>
            <Input
              value={voucherNo}
              onChange={(e) => setVoucherNo(e.target.value)}
              placeholder={t('txn.voucherNo')}
              maxLength={32}
            />
            <Input
              value={branchCode}
              onChange={(e) => setBranchCode(e.target.value)}
              placeholder={t('txn.branchCode')}
              maxLength={12}
              inputMode="numeric"
            />
            <Input
              value={clerk}
              onChange={(e) => setClerk(e.target.value)}
              placeholder={t('txn.clerk')}
              maxLength={20}
            />
          </Space>
        )}
        <Input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('day.settle.note')}
          maxLength={200}
        />
        <ErrorAlert error={error} />
        {done && <Alert type="success" showIcon message={done} />}
        <Button onClick={() => void submit()} disabled={!valid} loading={busy} data-testid="settle-submit">
          {t('day.settle.submit')}
        </Button>
        <div className="muted">{t('day.settle.hint')}</div>
      </div>
    </Card>
  );
}
