// Who is at the counter (PPL-3: every posting records them). Switching changes the services on
// offer (PPL-2).
import { Select, App } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation } from '../app/station-context';
import { errorMessage } from './ErrorAlert';

export function OperatorSwitcher() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { operator, operators, setOperator } = useStation();
  if (!operator) return null;
  return (
    <div className="operator" data-testid="operator">
      <UserOutlined />
      <span className="muted">{t('header.operator')}</span>
      <Select
        value={operator.id}
        aria-label={t('header.operator')}
        style={{ minWidth: 150 }}
        variant="borderless"
        popupMatchSelectWidth={false}
        onChange={(id) => {
          setOperator(id)
            .then(() => void message.success(t('header.operatorSwitched')))
            .catch((e) => void message.error(errorMessage(e, t)));
        }}
        options={operators.map((o) => ({
          value: o.id,
          label: o.role === 'holder' ? o.name : `${o.name} · ${t(`role.${o.role}`)}`,
        }))}
        data-testid="operator-select"
      />
    </div>
  );
}
