// MON-1 「提取每周及每月…的交易情况」: daily, weekly and monthly figures by service and operator,
// with a chart, exported as CSV (opens in Excel) or XLSX. Totals come from the backend as strings.
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { PeriodReportDto, ReportPeriod } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { loadInto } from '../../components/load-into';
import { Money } from '../../components/Money';
// ECharts is the largest library here: fetched when the chart is first drawn.
const ReportChart = lazy(() => import('./ReportChart'));
import { downloadBase64 } from './download';

const money = (v: string) => <Money value={v} size="sm" />;

/** One figure of the period's totals. */
function Total({
  span,
  title,
  value,
  extra,
}: {
  span: number;
  title: string;
  value: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <Col span={span}>
      <Card size="small">
        <Statistic title={title} valueRender={() => value} />
        {extra}
      </Card>
    </Col>
  );
}

/** The period broken down by one thing (service, operator): a card with a small table. */
function Breakdown<Row extends object>({
  title,
  rowKey,
  data,
  testId,
  columns,
}: {
  title: string;
  rowKey: keyof Row & string;
  data: Row[];
  testId: string;
  columns: TableColumnsType<Row>;
}) {
  return (
    <Col xs={24} xl={12}>
      <Card size="small" title={title}>
        <Table<Row>
          size="small"
          rowKey={rowKey}
          pagination={false}
          dataSource={data}
          data-testid={testId}
          columns={columns}
        />
      </Card>
    </Col>
  );
}

export function ReportsPage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const { station, postingsVersion } = useStation();
  const [period, setPeriod] = useState<ReportPeriod>('month');
  const [date, setDate] = useState<Dayjs | null>(null);
  const [report, setReport] = useState<PeriodReportDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  const anchor = date?.format('YYYY-MM-DD') ?? station?.businessDay;

  const load = useCallback(async () => {
    if (!anchor) return;
    setError(null);
    await loadInto(() => call('report.period', { period, date: anchor }), setReport, setError, setLoading);
  }, [period, anchor]);

  useEffect(() => {
    if (active) void load();
  }, [active, load, postingsVersion]);

  const exportFile = async (format: 'csv' | 'xlsx') => {
    if (!anchor) return;
    setExporting(format);
    setError(null);
    try {
      downloadBase64(await call('report.export', { period, date: anchor, format }));
    } catch (e) {
      setError(e);
    } finally {
      setExporting(null);
    }
  };

  /** A right-aligned column of counts, and one of amounts, titled by `reports.col.<key>`. */
  const count = (key: string, dataIndex: string) => ({
    title: t(`reports.col.${key}`),
    dataIndex,
    align: 'right' as const,
  });
  const amount = (key: string, dataIndex: string) => ({ ...count(key, dataIndex), render: money });

  const tt = report?.totals;
  return (
    <div className="stack reports-page" data-testid="reports-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('reports.title')}
      </Typography.Title>
      <Space wrap>
        <Segmented
          value={period}
          onChange={(v) => setPeriod(v as ReportPeriod)}
          options={(['day', 'week', 'month'] as const).map((p) => ({
            value: p,
            label: <span data-testid={`period-${p}`}>{t(`reports.period.${p}`)}</span>,
          }))}
        />
        <DatePicker
          value={date ?? (station ? dayjs(station.businessDay) : null)}
          onChange={(d) => setDate(d)}
          picker={period === 'month' ? 'month' : period === 'week' ? 'week' : 'date'}
          allowClear={false}
          data-testid="report-date"
        />
        <Button onClick={() => void load()} loading={loading}>
          {t('common.refresh')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void exportFile('csv')}
          loading={exporting === 'csv'}
          data-testid="export-csv"
        >
          {t('reports.exportCsv')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void exportFile('xlsx')}
          loading={exporting === 'xlsx'}
          data-testid="export-xlsx"
        >
          {t('reports.exportXlsx')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      {report && tt && (
        <>
          <div className="muted" data-testid="report-range">
            {t('reports.range', { from: report.from, to: report.to })}
          </div>
          <Row gutter={12}>
            {/* The period's totals: [column span, title, figure, what stands under it]. */}
            {(
              [
                [
                  4,
                  t('reports.totals.payments'),
                  <span data-testid="total-payment-count">{tt.paymentCount}</span>,
                ],
                [
                  5,
                  t('reports.totals.paymentAmount'),
                  <Money value={tt.paymentAmount} size="lg" testId="total-payment-amount" />,
                ],
                [
                  5,
                  t('reports.totals.net'),
                  <Money value={tt.netPaymentAmount} size="lg" testId="total-net-amount" />,
                  <div className="muted">{t('reports.totals.netCount', { n: tt.netPaymentCount })}</div>,
                ],
                [
                  3,
                  t('reports.totals.reversals'),
                  <span data-testid="total-reversals">{tt.reversalCount}</span>,
                ],
                [
                  4,
                  t('reports.totals.topups', { n: tt.topupCount }),
                  <Money value={tt.topupAmount} size="lg" testId="total-topups" />,
                ],
                [3, t('reports.totals.fees'), <Money value={tt.fees} testId="total-fees" />],
              ] as const
            ).map(([span, title, value, extra]) => (
              <Total key={title} span={span} title={title} value={value} extra={extra} />
            ))}
          </Row>
          <Card size="small" title={t('reports.chart.title')}>
            <Suspense fallback={<div style={{ height: 320 }} />}>
              <ReportChart days={report.days} today={station?.businessDay ?? report.to} />
            </Suspense>
          </Card>
          <Row gutter={12}>
            <Breakdown
              title={t('reports.byService')}
              rowKey="service"
              data={report.byService}
              testId="by-service"
              columns={[
                { title: t('reports.col.service'), dataIndex: 'nameZh' },
                count('count', 'count'),
                amount('amount', 'amount'),
                amount('fee', 'fee'),
                count('reversedCount', 'reversedCount'),
                amount('reversed', 'reversed'),
              ]}
            />
            <Breakdown
              title={t('reports.byOperator')}
              rowKey="operatorId"
              data={report.byOperator}
              testId="by-operator"
              columns={[
                { title: t('reports.col.operator'), dataIndex: 'operatorName' },
                count('count', 'count'),
                amount('amount', 'amount'),
                count('reversedCount', 'reversalCount'),
                count('topupCount', 'topupCount'),
                amount('topupAmount', 'topupAmount'),
              ]}
            />
          </Row>
          <Card size="small" title={t('reports.byDay')}>
            <Table
              size="small"
              rowKey="day"
              dataSource={report.days.filter(
                (d) =>
                  d.paymentCount > 0 || d.reversalCount > 0 || d.topupAmount !== '0.00' || d.zNo !== null,
              )}
              pagination={{ pageSize: 31, hideOnSinglePage: true }}
              locale={{ emptyText: t('reports.noBusiness') }}
              data-testid="by-day"
              columns={[
                { title: t('reports.col.day'), dataIndex: 'day' },
                count('count', 'paymentCount'),
                amount('amount', 'paymentAmount'),
                amount('fee', 'fees'),
                count('reversedCount', 'reversalCount'),
                amount('topupAmount', 'topupAmount'),
                {
                  title: t('reports.col.closingFloat'),
                  dataIndex: 'closingFloat',
                  align: 'right',
                  render: (v: string | null, r) =>
                    v ? (
                      <span>
                        {money(v)} <span className="muted mono">Z{r.zNo}</span>
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
