// The counter's keys, on screen and in a tooltip: the whole flow works without a mouse.
import { Tooltip } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

const KEYS = [
  ['F1–F4', 'keys.services'],
  ['Enter', 'keys.enter'],
  ['Space', 'keys.space'],
  ['Esc', 'keys.esc'],
  ['F6/F7/F8', 'keys.quickCash'],
  ['F9', 'keys.setAsideHelp'],
] as const;

export function KeyList() {
  const { t } = useTranslation();
  return (
    <dl className="key-list" data-testid="key-help">
      {KEYS.map(([k, label]) => (
        <div key={k} className="key-row">
          <dt>
            <kbd>{k}</kbd>
          </dt>
          <dd>{t(label)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function KeyHelpTooltip() {
  const { t } = useTranslation();
  return (
    <Tooltip
      title={<KeyList />}
      placement="bottomRight"
      color="#fff"
      styles={{ body: { color: '#222', minWidth: 280 } }}
    >
      <span className="help-icon" aria-label={t('keys.title')} data-testid="key-help-icon">
        <QuestionCircleOutlined /> {t('keys.title')}
      </span>
    </Tooltip>
  );
}

/** The keys that work in the current step, in the step's own footer. */
export function StepKeys({ items }: { items: { k: string; label: string }[] }) {
  return (
    <div className="step-keys">
      {items.map((i) => (
        <span key={i.k} className="step-key">
          <kbd>{i.k}</kbd> {i.label}
        </span>
      ))}
    </div>
  );
}
