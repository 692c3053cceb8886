// 站点状态 — the station's own MON-2 standing (this month against 20, low months in a row, a
// warning well before removal, the last 12 months), its uploads to the monitor (MON-2, MON-3), what
// the postal office needs to register it: 机构号, opening date, public key and fingerprint, and its
// faults: reported by hand, with the office's handling of each (MON-3, FaultsCard.tsx), and the
// postal platform's address (issue 10, PlatformCard.tsx).
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Progress,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMessage } from '../../components/message';
import { useSaveSetting, useStoredField } from './stored-setting';
import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  channels,
  type MonitorStatusDto,
  type MonitorUploadState,
  type StandingDto,
} from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { schemaRule } from '../../components/contract-rules';
import { localTime } from '../../components/labels';
import { loadInto } from '../../components/load-into';
import { FaultsCard } from './FaultsCard';
import { PlatformCard } from './PlatformCard';
import { IdleLockCard } from './IdleLockCard';
import { MonthsChart } from './MonthsChart';
import { UrlSettingForm } from './UrlSettingForm';
import { LEVEL_ALERT, LEVEL_COLOR, details, headline, progressStatus } from './standing-text';
import './standing.css';

/** While the page is open, the upload state is looked at this often (uploads run in the background). */
const STATUS_POLL_MS = 15_000;

const STATE_BADGE: Record<MonitorUploadState, 'success' | 'processing' | 'default' | 'error' | 'warning'> = {
  up_to_date: 'success',
  uploading: 'processing',
  pending: 'processing',
  not_configured: 'default',
  retry_wait: 'warning',
  refused: 'error',
  key_error: 'error',
};

/** "ab12cd34ef56…" → "ab12 cd34 ef56 …", easier to read out over the phone. */
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

/** One figure of the month's standing, its label before it. */
function Fact({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <span>
      {label} <b data-testid={testId}>{value}</b>
    </span>
  );
}

export function StandingPage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const message = useMessage();
  const saveSetting = useSaveSetting();
  const { postingsVersion } = useStation();
  const [standing, setStanding] = useState<StandingDto | null>(null);
  const [status, setStatus] = useState<MonitorStatusDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [urlForm] = Form.useForm<{ url: string }>();
  const [openingForm] = Form.useForm<{ openingDate: string }>();

  const loadStatus = useCallback(async () => {
    try {
      setStatus(await call('monitor.status'));
    } catch (e) {
      setError(e);
    }
  }, []);

  const load = useCallback(
    () =>
      loadInto(
        () => Promise.all([call('standing.get'), call('monitor.status')]),
        ([s, st]) => {
          setStanding(s);
          setStatus(st);
        },
        setError,
      ),
    [],
  );

  useEffect(() => {
    if (!active) return;
    void load();
    const timer = setInterval(() => void loadStatus(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [active, load, loadStatus, postingsVersion]);

  // The forms show what is stored (once loaded, and after every save).
  useStoredField(urlForm, 'url', status?.url);
  useStoredField(openingForm, 'openingDate', standing?.openingDate);

  const saveUrl = (v: { url: string }) =>
    saveSetting({
      form: urlForm,
      field: 'url',
      setBusy: (on) => setBusy(on ? 'url' : null),
      save: () => call('monitor.setUrl', { url: (v.url ?? '').trim() }),
      stored: (saved) => saved.url,
      done: (saved) => {
        setStatus(saved);
        return t('standing.upload.saved');
      },
    });

  const saveOpening = (v: { openingDate: string }) => {
    const d = (v.openingDate ?? '').trim();
    return saveSetting({
      form: openingForm,
      field: 'openingDate',
      setBusy: (on) => setBusy(on ? 'opening' : null),
      save: () => call('monitor.setOpeningDate', { openingDate: d === '' ? null : d }),
      stored: (saved) => saved.openingDate,
      done: (saved) => {
        setStanding(saved);
        void loadStatus();
        return t('standing.key.openingSaved');
      },
    });
  };

  const uploadNow = async () => {
    setBusy('upload');
    try {
      setStatus(await call('monitor.uploadNow'));
      void message.success(t('standing.upload.done'));
    } catch (e) {
      void message.error(errorMessage(e, t));
      void loadStatus();
    } finally {
      setBusy(null);
    }
  };

  const s = standing?.standing;
  const percent = s ? Math.min(100, Math.round((s.monthCount / s.threshold) * 100)) : 0;
  const why = s ? details(s, t) : [];

  return (
    <div className="page" data-testid="standing-page">
      <h2 className="page-title">{t('standing.title')}</h2>
      {error ? (
        <ErrorAlert error={error} action={<Button onClick={() => void load()}>{t('common.retry')}</Button>} />
      ) : null}
      <div className="standing-grid">
        <Card
          size="small"
          title={t('standing.month.title', { month: s?.month ?? '' })}
          extra={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('common.refresh')}
            </Button>
          }
        >
          {s && standing ? (
            <div data-testid="standing-month" data-level={s.level} data-status={s.status}>
              <Space align="baseline" size="large">
                <span className="standing-count" data-testid="standing-count">
                  {t('standing.month.count', { count: s.monthCount, threshold: s.threshold })}
                </span>
                <Tag color={LEVEL_COLOR[s.level]} data-testid="standing-level">
                  {t(`standing.level.${s.level}`)}
                </Tag>
              </Space>
              <Progress
                percent={percent}
                showInfo={false}
                status={progressStatus(s.level, percent)}
                aria-label={t('standing.month.progress')}
              />
              <div className="standing-facts">
                <Fact label={t('standing.month.needed')} value={s.needed} testId="standing-needed" />
                <Fact label={t('standing.month.daysLeft')} value={s.daysLeft} />
                <Fact
                  label={t('standing.month.lowInRow')}
                  value={s.lowMonthsInRow}
                  testId="standing-low-months"
                />
                <Fact label={t('standing.month.today')} value={standing.todayCount} />
              </div>
              <Alert
                type={LEVEL_ALERT[s.level]}
                showIcon
                data-testid="standing-headline"
                message={headline(s, t)}
                description={
                  why.length > 0 ? (
                    <ul style={{ margin: 0, paddingLeft: 18 }}>
                      {why.map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  ) : undefined
                }
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
                {t('standing.rule')}
              </Typography.Paragraph>
            </div>
          ) : null}
        </Card>

        <Card size="small" title={t('standing.chart.title')}>
          {standing && s ? <MonthsChart months={standing.months} threshold={s.threshold} /> : null}
        </Card>

        <Card
          size="small"
          title={t('standing.upload.title')}
          extra={
            <Button
              size="small"
              type="primary"
              icon={<CloudUploadOutlined />}
              loading={busy === 'upload'}
              disabled={!status?.configured}
              onClick={() => void uploadNow()}
              data-testid="monitor-upload-now"
            >
              {t('standing.upload.now')}
            </Button>
          }
        >
          {status ? (
            <div data-testid="monitor-status" data-state={status.state}>
              <Badge status={STATE_BADGE[status.state]} text={stateText(status, t)} />
              <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
                <Descriptions.Item label={t('standing.upload.pending')}>
                  {status.pendingDays > 0
                    ? t('standing.upload.pendingDays', {
                        n: status.pendingDays,
                        from: status.oldestPendingDay,
                      })
                    : t('standing.upload.nonePending')}
                </Descriptions.Item>
                <Descriptions.Item label={t('standing.upload.last')}>
                  {status.lastSuccessAt ? localTime(status.lastSuccessAt) : t('standing.upload.never')}
                </Descriptions.Item>
                {status.lastAttemptAt && status.lastResult ? (
                  <Descriptions.Item label={t('standing.upload.lastAttempt')}>
                    {localTime(status.lastAttemptAt)} · {t(`standing.result.${status.lastResult}`)}
                    {status.seq > 0 ? ` · ${t('standing.upload.seq', { seq: status.seq })}` : ''}
                  </Descriptions.Item>
                ) : null}
                {status.lastError && status.lastResult !== 'applied' ? (
                  <Descriptions.Item label={t('standing.upload.lastError')}>
                    <span data-testid="monitor-last-error">
                      {status.lastError.message} <span className="error-code">{status.lastError.code}</span>
                    </span>
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
            </div>
          ) : null}
          <UrlSettingForm
            form={urlForm}
            onSave={(v) => void saveUrl(v)}
            label={t('standing.upload.url')}
            rule={schemaRule(channels['monitor.setUrl'].input.shape.url, false)}
            extra={t('standing.upload.urlHint')}
            placeholder="https://monitor.example.cn"
            busy={busy === 'url'}
            testId="monitor-url"
          />
        </Card>

        <Card size="small" title={t('standing.key.title')}>
          {status ? (
            <div data-testid="station-key">
              <Typography.Paragraph type="secondary">{t('standing.key.hint')}</Typography.Paragraph>
              {status.keyError ? <Alert type="error" showIcon message={status.keyError} /> : null}
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('standing.key.institutionNo')}>
                  {status.institutionNo}
                </Descriptions.Item>
                <Descriptions.Item label={t('standing.key.opening')}>
                  <span data-testid="standing-opening">{status.openingDate}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('standing.key.fingerprint')}>
                  <Typography.Text
                    code
                    copyable={status.fingerprint ? { text: status.fingerprint } : false}
                    data-testid="key-fingerprint"
                  >
                    {status.fingerprint ? grouped(status.fingerprint) : '—'}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
              {status.publicKeyPem ? (
                <>
                  <Space style={{ marginBottom: 4 }}>
                    <span>{t('standing.key.publicKey')}</span>
                    <Typography.Text copyable={{ text: status.publicKeyPem }} />
                  </Space>
                  <pre
                    className="standing-key"
                    data-testid="public-key"
                    tabIndex={0}
                    aria-label={t('standing.key.publicKey')}
                  >
                    {status.publicKeyPem.trim()}
                  </pre>
                </>
              ) : null}
              <Form<{ openingDate: string }>
                form={openingForm}
                layout="inline"
                onFinish={(v) => void saveOpening(v)}
                style={{ marginTop: 12 }}
              >
                <Form.Item
                  name="openingDate"
                  label={t('standing.key.openingSetting')}
                  rules={[
                    schemaRule(channels['monitor.setOpeningDate'].input.shape.openingDate.unwrap(), false),
                  ]}
                >
                  <Input placeholder="YYYY-MM-DD" style={{ width: 130 }} autoComplete="off" />
                </Form.Item>
                <Button htmlType="submit" loading={busy === 'opening'}>
                  {t('common.save')}
                </Button>
              </Form>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 4, marginBottom: 0 }}>
                {t('standing.key.openingHint')}
              </Typography.Paragraph>
            </div>
          ) : null}
        </Card>

        <PlatformCard active={active} />
        <IdleLockCard active={active} />

        <FaultsCard active={active} onReported={() => void loadStatus()} />
      </div>
    </div>
  );
}

function stateText(s: MonitorStatusDto, t: TFunction): string {
  const next = s.nextAttemptAt ? localTime(s.nextAttemptAt) : '';
  switch (s.state) {
    case 'retry_wait':
      return t('standing.state.retry_wait', { time: next, failures: s.failures });
    case 'refused':
      return t('standing.state.refused', { time: next });
    case 'pending':
      return t('standing.state.pending', { n: s.pendingDays });
    default:
      return t(`standing.state.${s.state}`);
  }
}
