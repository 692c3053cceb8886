// The blind count of the drawer: by denomination (pieces of each note and coin) or as a total.
// The expected figure is not known to this screen until the count is in.
import { useMemo, useState } from 'react';
import { Button, InputNumber, Input, Segmented, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DENOMINATIONS,
  MAX_PIECES,
  type DayReportDto,
  type DenominationKey,
  type Denominations,
} from '../../../../shared/contract';
import { formatFen } from '../../../../shared/money';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { normalizeMoney } from '../../money';
import { LabelledInput } from '../../components/fields';

export function CashCountForm({
  day,
  firstClose,
  onCounted,
}: {
  day: string;
  /** No close before: the operator may declare the change fund the drawer started with. */
  firstClose: boolean;
  onCounted: (r: DayReportDto) => void;
}) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<'denominations' | 'total'>('denominations');
  const [pieces, setPieces] = useState<Denominations>({});
  const [total, setTotal] = useState('');
  const [openingCash, setOpeningCash] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Integer fen: pieces × face value, exact.
  const denomTotal = useMemo(
    () => formatFen(DENOMINATIONS.reduce((s, d) => s + (pieces[d.key] ?? 0) * d.fen, 0)),
    [pieces],
  );
  const typedTotal = normalizeMoney(total);
  const opening = openingCash.trim() === '' ? undefined : normalizeMoney(openingCash);
  const valid = (method === 'denominations' || typedTotal !== null) && opening !== null;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const extra = { day, ...(firstClose && opening ? { openingCash: opening } : {}) };
      const r =
        method === 'total'
          ? await call('day.count', { method: 'total', total: typedTotal!, ...extra })
          : await call('day.count', { method: 'denominations', denominations: pieces, ...extra });
      onCounted(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" data-testid="count-form">
      <Segmented
        value={method}
        onChange={(v) => setMethod(v as 'denominations' | 'total')}
        options={[
          {
            value: 'denominations',
            label: <span data-testid="count-method-denominations">{t('day.count.byDenomination')}</span>,
          },
          { value: 'total', label: <span data-testid="count-method-total">{t('day.count.byTotal')}</span> },
        ]}
      />
      {method === 'denominations' ? (
        <Table
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={DENOMINATIONS.map((d) => ({ ...d }))}
          columns={[
            { title: t('day.count.denomination'), dataIndex: 'labelZh', width: 90 },
            {
              title: t('day.count.pieces'),
              render: (_, d: { key: DenominationKey; fen: number }) => (
                <InputNumber
                  min={0}
                  max={MAX_PIECES}
                  precision={0}
                  value={pieces[d.key] ?? null}
                  onChange={(v) =>
                    setPieces((p) => ({ ...p, [d.key]: typeof v === 'number' ? v : undefined }))
                  }
                  data-testid={`denom-${d.key}`}
                  aria-label={`${DENOMINATIONS.find((x) => x.key === d.key)?.labelZh ?? ''} ${t('day.count.pieces')}`}
                  style={{ width: 110 }}
                />
              ),
            },
            {
              title: t('day.count.subtotal'),
              align: 'right',
              render: (_, d: { key: DenominationKey; fen: number }) => (
                <Money value={formatFen((pieces[d.key] ?? 0) * d.fen)} size="sm" />
              ),
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <strong>{t('day.count.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Money value={denomTotal} testId="count-denom-total" />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      ) : (
        <Input
          size="large"
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          placeholder={t('day.count.totalPlaceholder')}
          suffix={t('money.unit')}
          inputMode="decimal"
          className="money-input"
          status={total && typedTotal === null ? 'error' : undefined}
          data-testid="count-total"
        />
      )}
      {firstClose && (
        <div>
          <LabelledInput
            id="opening-cash"
            label={t('day.count.openingCash')}
            value={openingCash}
            onChange={(e) => setOpeningCash(e.target.value)}
            placeholder="0.00"
            suffix={t('money.unit')}
            inputMode="decimal"
            style={{ maxWidth: 200 }}
            data-testid="count-opening-cash"
          />
          <div className="muted">{t('day.count.openingCashHint')}</div>
        </div>
      )}
      <ErrorAlert error={error} />
      <Button
        type="primary"
        size="large"
        onClick={() => void submit()}
        disabled={!valid}
        loading={busy}
        data-testid="count-submit"
      >
        {t('day.count.submit')}
      </Button>
      <div className="muted">{t('day.count.blindHint')}</div>
    </div>
  );
}
