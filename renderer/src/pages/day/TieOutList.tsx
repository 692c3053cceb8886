// PAY-4: under the float figures, the transactions the station and the central system disagree
// on, so the operator can see why before writing the remark (and the auditor after). One line
// per key: the voucher number or payment key, what it is, where it stands and the amounts.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TieOutDto } from '../../../../shared/contract';
import { Money } from '../../components/Money';

export function TieOutList({
  tieOut,
  hasCentral,
}: {
  tieOut: TieOutDto | null | undefined;
  hasCentral: boolean;
}) {
  const { t } = useTranslation();
  if (tieOut === undefined || !hasCentral) return null; // a Z closed before the tie-out existed
  if (tieOut === null)
    return (
      <div className="muted tieout" data-testid="tieout-unavailable">
        {t('day.tieOut.unavailable')}
      </div>
    );
  const lines = tieOut.lines;
  return (
    <section className="tieout" aria-label={t('day.tieOut.title')} data-testid="tieout">
      <strong>{t('day.tieOut.title')}</strong>
      <div data-testid="tieout-summary">
        {lines.length === 0
          ? t('day.tieOut.allMatch', { n: tieOut.matchedCount })
          : t('day.tieOut.matched', { n: tieOut.matchedCount, m: lines.length })}
      </div>
      {lines.length > 0 && (
        <ul className="tieout-lines" data-testid="tieout-lines">
          {lines.map((l) => (
            <li key={l.key} data-testid="tieout-line" data-ref={l.ref}>
              <code className="tieout-ref">{l.ref}</code>
              <span>
                {t(`day.tieOut.what_${l.what}`)} · {t(`day.tieOut.side_${l.side}`)}
              </span>
              <span className="muted">
                {t('day.tieOut.station')} {l.station} / {t('day.tieOut.central')} {l.central}
              </span>
              <span>
                {t('day.tieOut.difference')} <Money value={l.difference} size="sm" tone="danger" />
              </span>
            </li>
          ))}
        </ul>
      )}
      {tieOut.unexplained !== null && tieOut.unexplained !== '0.00' && (
        <div className="muted" data-testid="tieout-unexplained">
          {t('day.tieOut.unexplained', { v: tieOut.unexplained })}
        </div>
      )}
      {!tieOut.complete && <Alert type="warning" showIcon message={t('day.tieOut.incomplete')} />}
    </section>
  );
}
