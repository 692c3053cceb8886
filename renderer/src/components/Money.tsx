// An amount exactly as the backend sent it ("96.50"), in tabular figures, with its unit.
import { useTranslation } from 'react-i18next';

type Size = 'sm' | 'md' | 'lg' | 'xl';

export function Money({
  value,
  size = 'md',
  tone,
  testId,
}: {
  value: string;
  size?: Size;
  tone?: 'danger' | 'ok' | 'warn';
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <span className={`money money-${size}${tone ? ` money-${tone}` : ''}`} data-testid={testId}>
      <span className="money-value">{value}</span>
      <span className="money-unit"> {t('money.unit')}</span>
    </span>
  );
}
