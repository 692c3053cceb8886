// The postal platform's address (issue 10): what the station connects to, and the address it
// keeps as a setting. Only the contract holder may change it; a new address takes effect at the
// next start. The demo station's platform runs embedded beside it: nothing to set.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Descriptions, Card, Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { channels, type PlatformSettingDto } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { schemaRule } from '../../components/contract-rules';
import { loadInto } from '../../components/load-into';
import { useSaveSetting, useStoredField } from './stored-setting';
import { UrlSettingForm } from './UrlSettingForm';

export function PlatformCard({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const saveSetting = useSaveSetting();
  const { operator } = useStation();
  const [setting, setSetting] = useState<PlatformSettingDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ url: string }>();

  const load = useCallback(() => loadInto(() => call('platform.get'), setSetting, setError), []);
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  useStoredField(form, 'url', setting?.url);

  const save = (v: { url: string }) =>
    saveSetting({
      form,
      field: 'url',
      setBusy,
      save: () => call('platform.setUrl', { url: (v.url ?? '').trim() }),
      stored: (saved) => saved.url,
      done: (saved) => {
        setSetting(saved);
        return t('standing.platform.saved');
      },
    });

  const holder = operator?.role === 'holder';
  return (
    <Card size="small" title={t('standing.platform.title')} data-testid="platform-card">
      <ErrorAlert error={error} />
      {setting ? (
        <>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('standing.platform.inUse')}>
              <Typography.Text code data-testid="platform-in-use">
                {setting.inUse}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {setting.embedded ? (
            <Typography.Paragraph type="secondary" data-testid="platform-embedded">
              {t('standing.platform.embedded')}
            </Typography.Paragraph>
          ) : (
            <>
              {setting.overridden ? (
                <Alert type="info" showIcon message={t('standing.platform.overridden')} />
              ) : setting.restartNeeded ? (
                <Alert
                  type="warning"
                  showIcon
                  message={t('standing.platform.restartNeeded')}
                  data-testid="platform-restart-needed"
                />
              ) : null}
              <UrlSettingForm
                form={form}
                onSave={(v) => void save(v)}
                label={t('standing.platform.url')}
                rule={schemaRule(channels['platform.setUrl'].input.shape.url)}
                extra={holder ? t('standing.platform.nextStart') : t('standing.platform.holderOnly')}
                placeholder="https://yizhan.post.example.cn"
                busy={busy}
                disabled={!holder}
                testId="platform-url"
              />
            </>
          )}
        </>
      ) : null}
    </Card>
  );
}
