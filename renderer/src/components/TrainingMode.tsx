// 练习模式 (PPL-2, issue 12 item 5): this window's session enters a separate training ledger
// (its own float, simulated billers) and leaves it again, explicitly. While in it, a banner in a
// colour of its own runs across the top of every screen, with the way back to the real counter.
import { Button } from 'antd';
import { useMessage } from './message';
import { ExperimentOutlined, LogoutOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTH_EVENT, call } from '../api';
import { useStation } from '../app/station-context';
import { errorMessage } from './ErrorAlert';

/** Enters or leaves; the login gate then reloads every screen in the new mode. */
function useSwitch(channel: 'training.enter' | 'training.leave') {
  const { t } = useTranslation();
  const message = useMessage();
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    void call(channel)
      .then(() => window.dispatchEvent(new Event(AUTH_EVENT)))
      .catch((e: unknown) => void message.error(t('training.failed', { message: errorMessage(e, t) })))
      .finally(() => setBusy(false));
  };
  return { busy, run };
}

/** The header's way into training mode (hidden while in it). */
export function TrainingEnterButton() {
  const { t } = useTranslation();
  const { station } = useStation();
  const { busy, run } = useSwitch('training.enter');
  if (!station || station.training) return null;
  return (
    <Button
      size="small"
      icon={<ExperimentOutlined />}
      onClick={run}
      loading={busy}
      title={t('training.enterTitle')}
      data-testid="training-enter"
    >
      {t('training.enter')}
    </Button>
  );
}

/** Across the top of every screen while this session is in training mode. */
export function TrainingBanner() {
  const { t } = useTranslation();
  const { station } = useStation();
  const { busy, run } = useSwitch('training.leave');
  if (!station?.training) return null;
  return (
    <div className="training-banner" role="status" data-testid="training-banner">
      <span className="training-mark">{t('training.badge')}</span>
      <span className="training-text">{t('training.banner')}</span>
      <Button
        size="small"
        icon={<LogoutOutlined />}
        onClick={run}
        loading={busy}
        data-testid="training-leave"
      >
        {t('training.leave')}
      </Button>
    </div>
  );
}
