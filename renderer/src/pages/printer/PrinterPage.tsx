// 打印机 — where the receipt printer is (tcp://host:9100 or a printer device such as /dev/usb/lp0 or COM3), its
// paper width (32 columns on 58 mm, 48 on 80 mm), a test slip, its status, and the queue of
// slips still waiting (retry them once the printer is back).
import { useCallback, useEffect, useState } from 'react';
import { Card, Checkbox, Form, Input, Radio, Button, Space, Alert, Table, Tag, Badge } from 'antd';
import { useMessage } from '../../components/message';
import { ReloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  channels,
  type PrintJobDto,
  type PrinterSettingsDto,
  type PrinterStatusDto,
} from '../../../../shared/contract';
import { call, isUnavailable } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { schemaRule } from '../../components/contract-rules';
import { localTime, printStatusKey } from '../../components/labels';
import { loadInto } from '../../components/load-into';

const STATUS_COLOR: Record<PrintJobDto['status'], string> = {
  queued: 'gold',
  printing: 'blue',
  printed: 'green',
  failed: 'red',
  uncertain: 'orange',
};

export function PrinterPage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const message = useMessage();
  const { postingsVersion } = useStation();
  const [form] = Form.useForm<PrinterSettingsDto>();
  const [settingsError, setSettingsError] = useState<unknown>(null);
  const [status, setStatus] = useState<PrinterStatusDto | null>(null);
  const [statusError, setStatusError] = useState<unknown>(null);
  const [jobs, setJobs] = useState<PrintJobDto[]>([]);
  const [queueError, setQueueError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  // What the operator has typed but not saved is kept: a reply that arrives while they type (the
  // page opening, a posting elsewhere) fills only the fields they have not touched.
  const loadSettings = useCallback(async () => {
    try {
      const saved = await call('printer.get');
      const fields = (Object.keys(saved) as (keyof PrinterSettingsDto)[]).filter(
        (k) => !form.isFieldTouched(k),
      );
      form.setFields(fields.map((name) => ({ name, value: saved[name] })));
      setSettingsError(null);
    } catch (e) {
      setSettingsError(e);
    }
  }, [form]);

  const loadStatus = useCallback(() => loadInto(() => call('printer.status'), setStatus, setStatusError), []);

  const loadQueue = useCallback(
    () =>
      loadInto(
        () => call('print.queue'),
        (q) => setJobs(q.jobs),
        setQueueError,
      ),
    [],
  );

  useEffect(() => {
    if (!active) return;
    void loadSettings();
    void loadStatus();
    void loadQueue();
  }, [active, loadSettings, loadStatus, loadQueue, postingsVersion]);

  const save = async (v: PrinterSettingsDto) => {
    setBusy('save');
    try {
      const saved = await call('printer.set', {
        interface: (v.interface ?? '').trim(),
        columns: v.columns,
        drawer: !!v.drawer,
      });
      // Saved: the fields show what was stored and count as untouched again.
      form.setFields(
        (Object.keys(saved) as (keyof PrinterSettingsDto)[]).map((name) => ({
          name,
          value: saved[name],
          touched: false,
        })),
      );
      setSettingsError(null);
      void message.success(t('printer.saved'));
      void loadStatus();
    } catch (e) {
      setSettingsError(e);
    } finally {
      setBusy(null);
    }
  };

  const test = async () => {
    setBusy('test');
    try {
      const { job } = await call('printer.test');
      if (job.status === 'printed') void message.success(t('printer.testPrinted'));
      else void message.warning(`${t('printer.testQueued')} ${job.lastError ?? ''}`);
      void loadQueue();
    } catch (e) {
      void message.error(isUnavailable(e) ? t('print.unavailable') : errorMessage(e, t));
    } finally {
      setBusy(null);
    }
  };

  const retry = async () => {
    setBusy('retry');
    try {
      const r = await call('print.retry');
      // The reply lists only the slips tried this time (a printer still off stops the run at the
      // first): the queue is read again, so what is shown waiting is everything that waits.
      const { jobs: all } = await call('print.queue');
      setJobs(all);
      const still = all.filter((j) => j.status !== 'printed').length;
      if (still > 0) void message.warning(t('printer.retriedStill', { printed: r.printed, waiting: still }));
      else void message.success(t('printer.retried', { printed: r.printed, failed: r.failed }));
    } catch (e) {
      void message.error(isUnavailable(e) ? t('print.unavailable') : errorMessage(e, t));
    } finally {
      setBusy(null);
    }
  };

  const unavailable = [settingsError, statusError, queueError].some(isUnavailable);
  const waiting = jobs.filter((j) => j.status !== 'printed').length;

  return (
    <div className="page" data-testid="printer-page">
      <h2 className="page-title">{t('printer.title')}</h2>
      {unavailable && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('print.unavailable')}
          description={t('printer.unavailableHint')}
        />
      )}
      <div className="printer-grid">
        <Card title={t('printer.settings')} size="small">
          <Form<PrinterSettingsDto>
            form={form}
            layout="vertical"
            onFinish={(v) => void save(v)}
            initialValues={{ interface: '', columns: 32, drawer: false }}
          >
            <Form.Item
              name="interface"
              label={t('printer.interface')}
              rules={[schemaRule(channels['printer.set'].input.shape.interface, false)]}
              extra={t('printer.interfaceHint')}
            >
              <Input
                placeholder="tcp://192.168.1.50:9100"
                autoComplete="off"
                data-testid="printer-interface"
              />
            </Form.Item>
            <Form.Item name="columns" label={t('printer.paper')}>
              <Radio.Group>
                <Radio value={32}>{t('printer.columns32')}</Radio>
                <Radio value={48}>{t('printer.columns48')}</Radio>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="drawer" valuePropName="checked" extra={t('printer.drawerHint')}>
              <Checkbox data-testid="printer-drawer">{t('printer.drawer')}</Checkbox>
            </Form.Item>
            {settingsError && !isUnavailable(settingsError) ? <ErrorAlert error={settingsError} /> : null}
            <Space>
              <Button type="primary" htmlType="submit" loading={busy === 'save'} data-testid="printer-save">
                {t('common.save')}
              </Button>
              <Button
                icon={<PrinterOutlined />}
                onClick={() => void test()}
                loading={busy === 'test'}
                data-testid="printer-test"
              >
                {t('printer.test')}
              </Button>
            </Space>
          </Form>
        </Card>
        <Card
          title={t('printer.status')}
          size="small"
          extra={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void loadStatus()}>
              {t('common.refresh')}
            </Button>
          }
        >
          {status ? (
            <div data-testid="printer-status">
              <Badge
                status={status.connected ? 'success' : status.configured ? 'error' : 'default'}
                text={
                  status.connected
                    ? t('printer.connected')
                    : status.configured
                      ? t('printer.disconnected')
                      : t('printer.notConfigured')
                }
              />
              {status.message && <div className="muted">{status.message}</div>}
            </div>
          ) : statusError ? (
            <span className="muted">{t('printer.statusUnknown')}</span>
          ) : null}
        </Card>
      </div>
      <Card
        title={
          <span>
            {t('printer.queue')}{' '}
            {waiting > 0 && <Tag color="gold">{t('printer.waiting', { n: waiting })}</Tag>}
          </span>
        }
        size="small"
        style={{ marginTop: 16 }}
        extra={
          <Space>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void loadQueue()}>
              {t('common.refresh')}
            </Button>
            <Button
              size="small"
              type="primary"
              onClick={() => void retry()}
              loading={busy === 'retry'}
              disabled={waiting === 0}
              data-testid="print-retry"
            >
              {t('printer.retryAll')}
            </Button>
          </Space>
        }
      >
        <Table<PrintJobDto>
          rowKey="jobId"
          size="small"
          dataSource={jobs}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="print-queue"
          onRow={(j) =>
            ({
              'data-testid': 'print-job',
              'data-serial': j.serial ?? '',
              'data-reprint-no': j.reprintNo,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: '#', dataIndex: 'jobId', width: 60 },
            {
              title: t('txn.serial'),
              dataIndex: 'serial',
              render: (v: string | null, j) =>
                v && j.txnId !== null ? (
                  <span className="serial">{v}</span>
                ) : (
                  <Tag>{t('printer.testSlip')}</Tag>
                ),
            },
            {
              title: t('printer.copy'),
              dataIndex: 'reprintNo',
              render: (n: number) =>
                n > 0 ? <Tag color="purple">{t('print.reprintNo', { n })}</Tag> : t('printer.original'),
            },
            {
              title: t('printer.jobStatus'),
              dataIndex: 'status',
              render: (s: PrintJobDto['status']) => <Tag color={STATUS_COLOR[s]}>{t(printStatusKey(s))}</Tag>,
            },
            { title: t('printer.attempts'), dataIndex: 'attempts', width: 80 },
            {
              title: t('printer.lastError'),
              dataIndex: 'lastError',
              render: (v: string | null) => <span className="muted">{v ?? ''}</span>,
            },
            { title: t('txn.time'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
          ]}
        />
      </Card>
    </div>
  );
}
