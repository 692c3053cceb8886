import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** Browser mode opened without the start-up URL's token. */
export function Unauthorized() {
  const { t } = useTranslation();
  return (
    <Result status="403" title={t('app.noToken')} subTitle={t('app.noTokenHint')} data-testid="no-token" />
  );
}
