// The X/Z report's two halves: the float (预存款) and the cash drawer (营业款现金). Figures are the
// backend's strings, shown as they come; differences are shown, never hidden.
import { Descriptions, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayReportDto } from '../../../../shared/contract';
import { Money } from '../../components/Money';
import { isNegative } from '../../money';
import { TieOutList } from './TieOutList';

function neg(v: string): string {
  return v === '0.00' || v.startsWith('-') ? v : `-${v}`;
}

function diffTone(v: string | null | undefined): 'danger' | 'ok' | undefined {
  if (!v) return undefined;
  return v === '0.00' ? 'ok' : 'danger';
}

export function FloatSection({ report }: { report: DayReportDto }) {
  const { t } = useTranslation();
  const f = report.float;
  const items: { key: string; label: ReactNode; children: ReactNode }[] = [
    {
      key: 'opening',
      label: f.openingSource === 'previous_close' ? t('day.float.openingPrev') : t('day.float.opening'),
      children: <Money value={f.opening} testId="x-opening" />,
    },
    {
      key: 'topups',
      label: t('day.float.topups', { n: f.topupCount }),
      children: <Money value={f.topups} testId="x-topups" />,
    },
    {
      key: 'payments',
      label: t('day.float.payments', { n: f.paymentCount }),
      children: <Money value={neg(f.payments)} testId="x-payments" />,
    },
    {
      key: 'reversals',
      label: t('day.float.reversals', { n: f.reversalCount }),
      children: <Money value={f.reversals} testId="x-reversals" />,
    },
  ];
  if (f.settledToFloat !== '0.00')
    items.push({
      key: 'settled',
      label: t('day.float.settledToFloat'),
      children: <Money value={f.settledToFloat} />,
    });
  items.push(
    {
      key: 'closing',
      label: <strong>{t('day.float.expectedClosing')}</strong>,
      children: (
        <span>
          <Money value={f.expectedClosing} size="lg" testId="x-expected-closing" />{' '}
          {!f.tiesOut && <Tag color="red">{t('day.float.notTied', { ledger: f.ledgerClosing })}</Tag>}
        </span>
      ),
    },
    {
      key: 'central',
      label: f.central?.source === 'operator' ? t('day.float.centralTyped') : t('day.float.central'),
      children: f.central ? (
        <span>
          <Money value={f.central.balance} testId="central-balance" />
          {f.central.later !== '0.00' && (
            <span className="muted">
              {' '}
              {t('day.float.centralLater', { read: f.central.read, later: f.central.later })}
            </span>
          )}
        </span>
      ) : (
        <span className="muted">—</span>
      ),
    },
    {
      key: 'difference',
      label: <strong>{t('day.float.difference')}</strong>,
      children: f.difference ? (
        <Money value={f.difference} size="lg" tone={diffTone(f.difference)} testId="float-difference" />
      ) : (
        <span className="muted">—</span>
      ),
    },
    { key: 'fees', label: t('day.float.fees'), children: <Money value={f.fees} size="sm" /> },
  );
  if (f.remark)
    items.push({
      key: 'remark',
      label: t('day.float.remark'),
      children: <span data-testid="z-float-remark">{f.remark}</span>,
    });
  return (
    <>
      <Descriptions column={1} size="small" bordered items={items} />
      <TieOutList tieOut={f.tieOut} hasCentral={!!f.central} />
    </>
  );
}

export function CashSection({ report }: { report: DayReportDto }) {
  const { t } = useTranslation();
  const c = report.cash;
  if (!c) return null;
  const items: { key: string; label: ReactNode; children: ReactNode }[] = [
    {
      key: 'opening',
      label: c.openingSource === 'previous_close' ? t('day.cash.openingPrev') : t('day.cash.opening'),
      children: <Money value={c.opening} />,
    },
    { key: 'received', label: t('day.cash.received'), children: <Money value={c.cashReceived} /> },
    { key: 'change', label: t('day.cash.change'), children: <Money value={neg(c.changeGiven)} /> },
  ];
  if (c.reversals !== '0.00')
    items.push({ key: 'reversals', label: t('day.cash.reversals'), children: <Money value={c.reversals} /> });
  items.push(
    {
      key: 'settled',
      label: t('day.cash.settled', { n: c.settlementCount }),
      children: <Money value={neg(c.settled)} />,
    },
    {
      key: 'expected',
      label: <strong>{t('day.cash.expected')}</strong>,
      children: <Money value={c.expected} size="lg" testId="cash-expected" />,
    },
    {
      key: 'counted',
      label: <strong>{t('day.cash.counted')}</strong>,
      children: <Money value={c.counted} size="lg" testId="cash-counted" />,
    },
    {
      key: 'variance',
      label: (
        <strong>
          {isNegative(c.variance)
            ? t('day.cash.short')
            : c.variance === '0.00'
              ? t('day.cash.variance')
              : t('day.cash.over')}
        </strong>
      ),
      children: <Money value={c.variance} size="lg" tone={diffTone(c.variance)} testId="cash-variance" />,
    },
    {
      key: 'takings',
      label: t('day.cash.takingsDue'),
      children: <Money value={c.takingsDue} testId="takings-due" />,
    },
  );
  if (report.count && report.count.later !== '0.00') {
    items.push({
      key: 'later',
      label: t('day.cash.later'),
      children: t('day.cash.laterNote', { total: report.count.total, later: report.count.later }),
    });
  }
  if (report.count && report.count.countsSoFar > 1)
    items.push({ key: 'counts', label: t('day.cash.counts'), children: report.count.countsSoFar });
  if (c.remark)
    items.push({
      key: 'remark',
      label: t('day.cash.remark'),
      children: <span data-testid="z-cash-remark">{c.remark}</span>,
    });
  return <Descriptions column={1} size="small" bordered items={items} data-testid="cash-section" />;
}

/** HH:MM in Asia/Shanghai (the business day's clock). */
function hhmm(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);
}

/** The day's shift handovers (交接班, issue 12): who, when, their figures and the blind count. */
export function ShiftsSection({ report }: { report: DayReportDto }) {
  const { t } = useTranslation();
  const shifts = report.shifts ?? [];
  if (shifts.length === 0) return null;
  return (
    <div data-testid="report-shifts">
      <h4>{t('shift.inReport')}</h4>
      <table className="shifts-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('shift.operator')}</th>
            <th>{t('shift.span')}</th>
            <th>{t('shift.txns')}</th>
            <th>{t('shift.payments')}</th>
            <th>{t('shift.counted')}</th>
            <th>{t('shift.expected')}</th>
            <th>{t('shift.variance')}</th>
          </tr>
        </thead>
        <tbody>
          {shifts.map((s) => (
            <tr key={s.shiftNo} data-testid="report-shift">
              <td>{s.shiftNo}</td>
              <td>{s.operatorName}</td>
              <td>
                {hhmm(s.startedAt)}–{hhmm(s.endedAt)}
              </td>
              <td>{s.txnCount}</td>
              <td>{s.payments}</td>
              <td>{s.countedCash}</td>
              <td>{s.expectedCash}</td>
              <td>{s.variance === '0.00' ? s.variance : <Tag color="red">{s.variance}</Tag>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
