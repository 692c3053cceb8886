// 异常情况 (MON-3) on 站点状态: report an abnormal situation by hand (上报异常: the kind, one line
// of text, Enter submits), and the latest faults with how the office is handling each on the
// platform — 已接收 / 已处理 / 已上报 / 已关闭 and its note; 待上报 until the platform has it. When
// the platform cannot be reached the card says so and shows the status last heard.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMessage } from '../../components/message';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { channels, type FaultListDto, type StationFaultDto } from '../../../../shared/contract';
import { FAULT_KINDS, type FaultKind } from '../../../../shared/monitor-protocol';
import type { FaultStatus } from '../../../../shared/platform-protocol';
import { call } from '../../api';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { schemaRule } from '../../components/contract-rules';
import { localTime } from '../../components/labels';

/** The office's handling is looked at this often while the page is open… */
const LIST_POLL_MS = 30_000;
/** …and more often for a while after a report, until the platform has it. */
const AFTER_REPORT_POLL_MS = 3_000;
const AFTER_REPORT_WINDOW_MS = 120_000;

const STATUS_COLOR: Record<FaultStatus, string> = {
  received: 'blue',
  handled: 'green',
  escalated: 'orange',
  closed: 'default',
};

interface ReportForm {
  kind: FaultKind | undefined;
  detail: string;
}

export function FaultsCard({ active, onReported }: { active: boolean; onReported: () => void }) {
  const { t } = useTranslation();
  const message = useMessage();
  const [form] = Form.useForm<ReportForm>();
  const [list, setList] = useState<FaultListDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reportedAt, setReportedAt] = useState<number | null>(null);
  const kindRef = useRef<React.ComponentRef<typeof Select>>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setList(await call('fault.list'));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  // Waiting for the platform to have a fault just reported: look more often, for a while.
  const awaiting =
    reportedAt !== null &&
    (list?.uploadConfigured ?? false) &&
    (list?.faults.some((f) => f.handling === null && f.reportedBy !== null) ?? false);

  useEffect(() => {
    if (!active) return;
    void load();
  }, [active, load]);

  useEffect(() => {
    if (!active) return;
    const fast = awaiting && reportedAt !== null && Date.now() - reportedAt < AFTER_REPORT_WINDOW_MS;
    const timer = setInterval(() => void load(), fast ? AFTER_REPORT_POLL_MS : LIST_POLL_MS);
    return () => clearInterval(timer);
  }, [active, awaiting, reportedAt, load]);

  const submit = async (v: ReportForm) => {
    setBusy(true);
    try {
      const r = await call('fault.report', { kind: v.kind!, detail: (v.detail ?? '').trim() });
      void message.success(t(r.upload === 'queued' ? 'standing.report.queued' : 'standing.report.waiting'));
      form.resetFields();
      kindRef.current?.focus();
      setReportedAt(Date.now());
      onReported();
      await load();
    } catch (e) {
      void message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const check = list?.check;
  return (
    <Card
      size="small"
      title={t('standing.faults.title')}
      className="span-2"
      data-testid="faults-card"
      extra={
        <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={() => void load()}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Form<ReportForm>
        form={form}
        layout="inline"
        onFinish={(v) => void submit(v)}
        initialValues={{ kind: undefined, detail: '' }}
        data-testid="fault-report-form"
        aria-label={t('standing.report.title')}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Typography.Text strong style={{ marginRight: 12, lineHeight: '32px' }}>
          {t('standing.report.title')}
        </Typography.Text>
        <Form.Item
          name="kind"
          label={t('standing.report.kind')}
          // A validator, not `required: true`: antd would put aria-required on the select's
          // wrapper, which axe rightly refuses (aria-allowed-attr).
          rules={[
            {
              validator: (_, v) =>
                v ? Promise.resolve() : Promise.reject(new Error(t('standing.report.kindRequired'))),
            },
          ]}
        >
          <Select<FaultKind>
            ref={kindRef}
            style={{ width: 140 }}
            showSearch
            optionFilterProp="label"
            placeholder={t('standing.report.kindPlaceholder')}
            options={FAULT_KINDS.map((k) => ({ value: k, label: t(`standing.faultKind.${k}`) }))}
            data-testid="fault-kind"
          />
        </Form.Item>
        <Form.Item
          name="detail"
          label={t('standing.report.detail')}
          style={{ flex: 1, minWidth: 280 }}
          rules={[schemaRule(channels['fault.report'].input.shape.detail)]}
        >
          <Input
            placeholder={t('standing.report.detailPlaceholder')}
            autoComplete="off"
            maxLength={200}
            data-testid="fault-detail"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="fault-report-submit">
          {t('standing.report.submit')}
        </Button>
      </Form>

      {error ? (
        <ErrorAlert error={error} action={<Button onClick={() => void load()}>{t('common.retry')}</Button>} />
      ) : null}
      {check && check.outcome !== 'ok' && check.outcome !== 'nothing_to_ask' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="fault-check"
          data-outcome={check.outcome}
          message={
            check.outcome === 'not_connected'
              ? t('standing.faults.check.not_connected')
              : t(`standing.faults.check.${check.outcome}`, { code: check.problem ?? '' })
          }
          description={
            check.outcome === 'not_connected'
              ? undefined
              : check.lastOkAt
                ? t('standing.faults.check.lastKnown', { time: localTime(check.lastOkAt) })
                : t('standing.faults.check.neverKnown')
          }
        />
      ) : null}

      <Table<StationFaultDto>
        size="small"
        rowKey={(f) => `${f.day}|${f.kind}|${f.detail}`}
        dataSource={list?.faults ?? []}
        pagination={false}
        locale={{ emptyText: t('standing.faults.none') }}
        data-testid="standing-faults"
        onRow={(f) =>
          ({ 'data-status': f.handling?.status ?? 'pending' }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('standing.faults.day'), dataIndex: 'day', width: 110 },
          {
            title: t('standing.faults.kind'),
            dataIndex: 'kind',
            width: 100,
            render: (k: string) => <Tag>{t(`standing.faultKind.${k}`)}</Tag>,
          },
          {
            title: t('standing.faults.detail'),
            dataIndex: 'detail',
            render: (d: string, f) => (
              <Space size={4} wrap>
                {f.reportedBy ? (
                  <Tag color="purple">{t('standing.faults.byHand', { name: f.reportedBy.name })}</Tag>
                ) : null}
                <span>{d}</span>
              </Space>
            ),
          },
          { title: t('standing.faults.times'), dataIndex: 'occurrences', width: 60, align: 'right' },
          {
            title: t('standing.faults.last'),
            dataIndex: 'lastAt',
            width: 160,
            render: (v: string) => localTime(v),
          },
          {
            title: t('standing.faults.status'),
            key: 'status',
            width: 100,
            render: (_: unknown, f) =>
              f.handling ? (
                <Tooltip title={t('standing.faults.checkedAt', { time: localTime(f.handling.checkedAt) })}>
                  <Tag color={STATUS_COLOR[f.handling.status]} data-testid="fault-status">
                    {t(`standing.faultStatus.${f.handling.status}`)}
                  </Tag>
                </Tooltip>
              ) : (
                <Tag data-testid="fault-status">
                  {t(
                    list?.uploadConfigured ? 'standing.faultStatus.pending' : 'standing.faultStatus.notSent',
                  )}
                </Tag>
              ),
          },
          {
            title: t('standing.faults.note'),
            key: 'note',
            width: 220,
            render: (_: unknown, f) =>
              f.handling?.note ? (
                <span data-testid="fault-note">
                  {f.handling.note}
                  {f.handling.statusAt ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 4 }}>
                      {localTime(f.handling.statusAt)}
                    </Typography.Text>
                  ) : null}
                </span>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('standing.faults.hint')}
      </Typography.Paragraph>
    </Card>
  );
}
