// The counter's keys, on screen and in a tooltip: the whole flow works without a mouse.
import { Tooltip } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

const KEYS = [
  ['F1–F4', 'keys.services'],
  ['Enter', 'keys.enter'],
  ['Space', 'keys.space'],
  ['Esc', 'keys.esc'],
  ['F8/F9', 'keys.quickCash'],
  ['F9', 'keys.setAsideHelp'],
  ['+', 'keys.otherAmount'],
  ['Ctrl+P', 'keys.reprintLast'],
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

/** The counter's steps, one customer at a time (CounterPage). */
export type CounterStep = 'account' | 'amount' | 'bill' | 'cash' | 'callback' | 'done';

const STEPS: CounterStep[] = ['account', 'bill', 'cash', 'callback', 'done'];
/** With a customer-chosen amount (nothing due), the amount comes before the bill card. */
const STEPS_WITH_AMOUNT: CounterStep[] = ['account', 'amount', 'bill', 'cash', 'callback', 'done'];

/** Where the counter is in its steps, above the step's panel. */
export function StepDots({ step, withAmount }: { step: CounterStep; withAmount: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="steps-indicator">
      {(withAmount ? STEPS_WITH_AMOUNT : STEPS).map((s, i) => (
        <span key={s} className={`step-dot${s === step ? ' current' : ''}`}>
          {i + 1}. {t(`steps.${s}`)}
        </span>
      ))}
    </div>
  );
}

/** The keys that work in the current step, in the step's own footer. */
export function StepKeys({
  step,
  unknownOutcome,
  otherAmount = false,
  backToDue = false,
}: {
  step: CounterStep;
  unknownOutcome: boolean;
  /** The bill is due at a biller that takes chosen amounts: + pays another amount. */
  otherAmount?: boolean;
  /** The amount step of another amount for a bill that is due: Esc goes back to the amount due. */
  backToDue?: boolean;
}) {
  const { t } = useTranslation();
  const byStep: Record<CounterStep, { k: string; label: string }[]> = {
    account: [
      { k: 'F1–F4', label: t('keys.services') },
      { k: 'Enter', label: t('keys.inquire') },
      { k: 'Esc', label: t('keys.clear') },
      { k: 'Ctrl+P', label: t('keys.reprintLast') },
    ],
    amount: [
      { k: 'Enter', label: t('keys.toBill') },
      { k: 'Esc', label: t(backToDue ? 'keys.backToDue' : 'keys.back') },
    ],
    bill: [
      { k: 'Space', label: t('keys.space') },
      { k: 'Enter', label: t('keys.toCash') },
      ...(otherAmount ? [{ k: '+', label: t('keys.otherAmount') }] : []),
      { k: 'Esc', label: t('keys.back') },
    ],
    cash: [
      { k: 'F8/F9', label: t('keys.quickCash') },
      { k: 'Enter', label: t('keys.toCallback') },
      { k: 'Esc', label: t('keys.back') },
    ],
    callback: unknownOutcome
      ? [
          { k: 'Enter', label: t('keys.retry') },
          { k: 'F9', label: t('keys.setAside') },
        ]
      : [
          { k: 'Enter', label: t('keys.confirmPay') },
          { k: 'Esc', label: t('keys.back') },
        ],
    done: [
      { k: 'Enter', label: t('keys.next') },
      { k: 'Ctrl+P', label: t('keys.reprintLast') },
    ],
  };
  return (
    <div className="step-keys" data-testid="step-keys">
      {byStep[step].map((i) => (
        <span key={i.k} className="step-key">
          <kbd>{i.k}</kbd> {i.label}
        </span>
      ))}
    </div>
  );
}
