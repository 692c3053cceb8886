// Find a past receipt by its serial (typed or scanned: 20261128-000042) to reverse or reprint it.
// A training slip's serial begins with LX: the backend answers it only in training mode.
import { useState } from 'react';
import { Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TxnDto } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RECEIPT_SERIAL_RE } from '../../../../shared/serial';

export const SERIAL_RE = RECEIPT_SERIAL_RE;

export async function lookupSerial(serial: string): Promise<TxnDto> {
  return call('txn.get', { serial });
}

export function SerialLookup({ onFound }: { onFound: (t: TxnDto) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = async () => {
    const s = value.trim();
    if (!SERIAL_RE.test(s)) {
      setError(new Error(t('lookup.badSerial')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onFound(await lookupSerial(s));
      setValue('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack">
      <Input.Search
        value={value}
        onChange={(e) => setValue(e.target.value.toUpperCase().replace(/[^0-9LX-]/g, ''))}
        onSearch={() => void search()}
        onKeyDown={(e) => {
          // Our own Enter: keep it from the counter's keys.
          if (e.key === 'Enter' || e.key === 'Escape') e.stopPropagation();
        }}
        loading={busy}
        placeholder={t('lookup.placeholder')}
        enterButton={t('lookup.find')}
        data-testid="serial-lookup"
        maxLength={24}
      />
      {error ? <ErrorAlert error={error} /> : null}
    </div>
  );
}
