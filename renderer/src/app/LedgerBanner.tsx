// Issue 9, ledger v2: while the ledger's latest verification failed (rows edited behind the
// app's back, a running balance that does not add up), every screen says so in red and money
// channels refuse (LEDGER_TAMPERED). It stays until a full verification passes.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStation } from './station-context';

export function LedgerBanner() {
  const { t } = useTranslation();
  const ledger = useStation().station?.ledger;
  if (!ledger?.tampered) return null;
  return (
    <Alert
      type="error"
      showIcon
      banner
      role="alert"
      data-testid="ledger-tampered"
      className="ledger-tampered"
      message={t('ledger.tampered.title')}
      description={
        <>
          <div>{t('ledger.tampered.what')}</div>
          {ledger.problem && (
            <div className="muted" data-testid="ledger-problem">
              {t('ledger.tampered.problem', { problem: ledger.problem, at: ledger.at ?? '' })}
            </div>
          )}
        </>
      }
    />
  );
}
