// 空闲锁屏 (issue 12): after how many minutes without a key or click the counter locks itself
// (1–60, a station setting). Who may change it is the backend's (设置); the range is the contract's.
import { useEffect, useState } from 'react';
import { Button, Card, Form, InputNumber, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { channels, IDLE_LOCK_MAX_MINUTES, IDLE_LOCK_MIN_MINUTES } from '../../../../shared/contract';
import { AUTH_EVENT, call } from '../../api';
import { schemaRule } from '../../components/contract-rules';
import { useSaveSetting, useStoredField } from './stored-setting';

export function IdleLockCard({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const saveSetting = useSaveSetting();
  const [form] = Form.useForm<{ minutes: number }>();
  const [stored, setStored] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!active) return;
    void call('auth.status')
      .then((s) => setStored(s.idleLockMinutes))
      .catch(() => undefined);
  }, [active]);
  useStoredField(form, 'minutes', stored ?? undefined);

  const save = (v: { minutes: number }) =>
    saveSetting({
      form,
      field: 'minutes',
      setBusy,
      save: () => call('auth.setIdleLock', { minutes: v.minutes }),
      stored: (saved) => saved.idleLockMinutes,
      done: (saved) => {
        setStored(saved.idleLockMinutes);
        // The lock itself (LoginGate) reads the setting again.
        window.dispatchEvent(new Event(AUTH_EVENT));
        return t('standing.idleLock.saved', { minutes: saved.idleLockMinutes });
      },
    });

  return (
    <Card size="small" title={t('standing.idleLock.title')} data-testid="idle-lock-card">
      <Form<{ minutes: number }> form={form} layout="inline" onFinish={(v) => void save(v)}>
        <Form.Item
          name="minutes"
          label={t('standing.idleLock.minutes')}
          rules={[schemaRule(channels['auth.setIdleLock'].input.shape.minutes)]}
        >
          {/* No min/max here: a value out of range is refused with the contract's message. */}
          <InputNumber style={{ width: 100 }} data-testid="idle-lock-minutes" />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="idle-lock-save">
          {t('common.save')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 4, marginBottom: 0 }}>
        {t('standing.idleLock.hint', { min: IDLE_LOCK_MIN_MINUTES, max: IDLE_LOCK_MAX_MINUTES })}
      </Typography.Paragraph>
    </Card>
  );
}
