// 日终轧账 (PAY-4, PAY-5): the X report, the blind count of the drawer, the differences and their
// remarks, the Z close, and the Z slip (preview, print, reprint).
//
// Blind count: the cash section (expected cash, variance) is not in any reply before the drawer
// is counted — the screen could not show it even by mistake. Days close in order; a day left
// open is closed here late, and the next day's business is not held up by it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Space, Steps, Tag, Typography } from 'antd';
import { PrintXButton } from './PrintXButton';
import { useTranslation } from 'react-i18next';
import type { DayReportDto, DayStatusDto } from '../../../../shared/contract';
import { ApiError, call, newIdempotencyKey } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { YuanInput } from '../../components/fields';
import { FloatWarning } from '../../components/FloatWarning';
import { normalizeMoney } from '../../money';
import { FloatSection, CashSection, ShiftsSection } from './ReportSections';
import { CashCountForm } from './CashCountForm';
import { ZSlipPanel } from './ZSlipPanel';
import { TakingsSettle } from './TakingsSettle';
import { ZHistory } from './ZHistory';
import { CloseConfirm } from './CloseConfirm';

/** The remark a difference asks for (float or cash): marked while it is still empty. */
function RemarkField({
  part,
  value,
  onChange,
  missing,
}: {
  part: 'float' | 'cash';
  value: string;
  onChange: (v: string) => void;
  missing: boolean;
}) {
  const { t } = useTranslation();
  const id = `${part}-remark`;
  return (
    <div style={{ marginTop: 12 }}>
      <label className="field-label" htmlFor={id}>
        {t(`day.${part}.remark`)}
      </label>
      <Input.TextArea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={200}
        rows={2}
        status={missing ? 'error' : undefined}
        placeholder={t(`day.${part}.remarkPlaceholder`)}
        data-testid={id}
      />
    </div>
  );
}

export function DayClosePage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const { afterPosting, postingsVersion } = useStation();
  const [status, setStatus] = useState<DayStatusDto | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [report, setReport] = useState<DayReportDto | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [typedCentral, setTypedCentral] = useState('');
  const [recount, setRecount] = useState(false);
  const [floatRemark, setFloatRemark] = useState('');
  const [cashRemark, setCashRemark] = useState('');
  const [closing, setClosing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [closeError, setCloseError] = useState<unknown>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  // A close whose outcome is unknown (connection lost) is retried with the same key.
  const closeKey = useRef<{ key: string; args: string } | null>(null);
  // The central balance the operator typed in (gateway unreachable), kept across a count.
  const appliedCentral = useRef<string | null>(null);

  const loadStatus = useCallback(async () => {
    const s = await call('day.status');
    setStatus(s);
    setDay((d) => d ?? s.nextToClose ?? s.today);
    return s;
  }, []);

  const loadReport = useCallback(async (d: string, centralBalance?: string) => {
    setLoading(true);
    setError(null);
    try {
      setReport(await call('day.xReport', { day: d, ...(centralBalance ? { centralBalance } : {}) }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (active) void loadStatus().catch(setError);
  }, [active, loadStatus, postingsVersion]);

  useEffect(() => {
    if (!active || !day) return;
    setRecount(false);
    setCloseError(null);
    setFloatRemark('');
    setCashRemark('');
    setTypedCentral('');
    appliedCentral.current = null;
    void loadReport(day);
  }, [active, day, loadReport]);

  const typed = normalizeMoney(typedCentral);
  const applyTyped = () => {
    if (!day || !typed) return;
    appliedCentral.current = typed;
    void loadReport(day, typed);
  };

  const closeDay = async () => {
    if (!report?.count || !day) return;
    const central =
      report.float.central?.source === 'operator'
        ? { source: 'operator' as const, balance: report.float.central.read }
        : { source: 'gateway' as const };
    const args = {
      day,
      countId: report.count.countId,
      central,
      floatRemark: floatRemark.trim() || undefined,
      cashRemark: cashRemark.trim() || undefined,
    };
    const sig = JSON.stringify(args);
    if (!closeKey.current || closeKey.current.args !== sig)
      closeKey.current = { key: newIdempotencyKey(), args: sig };
    setClosing(true);
    setCloseError(null);
    try {
      const z = await call('day.close', { ...args, idempotencyKey: closeKey.current.key });
      closeKey.current = null;
      setConfirming(false);
      setReport(z);
      setHistoryVersion((v) => v + 1);
      afterPosting();
      await loadStatus();
    } catch (e) {
      if (!(e instanceof ApiError && e.outcomeUnknown)) closeKey.current = null;
      setConfirming(false);
      setCloseError(e);
    } finally {
      setClosing(false);
    }
  };

  const closed = report?.kind === 'Z';
  const counted = !!report?.count && !recount;
  const step = closed ? 3 : counted ? 2 : report ? 1 : 0;
  const f = report?.float;
  const floatNeedsRemark = !!f?.remarkRequired && !floatRemark.trim();
  const cashNeedsRemark = !!report?.cash?.remarkRequired && !cashRemark.trim();
  const dayOptions = status
    ? Array.from(
        new Set([...status.openDays.filter((d) => d <= status.today), status.today, ...(day ? [day] : [])]),
      ).sort()
    : [];

  return (
    <div className="stack day-page" data-testid="day-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('day.title')}
      </Typography.Title>

      {status && status.unclosedBeforeToday.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="day-unclosed"
          message={t('day.unclosed', {
            days: status.unclosedBeforeToday.slice(0, 5).join('、'),
            n: status.unclosedBeforeToday.length,
          })}
          description={t('day.unclosedHint')}
        />
      )}

      <Space wrap align="center" data-testid="day-status">
        <span className="field-label" style={{ margin: 0 }}>
          {t('day.businessDay')}
        </span>
        <Select
          value={day ?? undefined}
          aria-label={t('day.businessDay')}
          onChange={(d) => setDay(d)}
          style={{ width: 160 }}
          options={dayOptions.map((d) => ({ value: d, label: d }))}
          data-testid="day-select"
        />
        {report && (
          <Tag color={closed ? 'green' : 'blue'} data-testid="day-state">
            {closed ? t('day.closedZ', { z: report.zNo }) : t('day.open')}
          </Tag>
        )}
        {status?.lastClose && (
          <span className="muted">
            {t('day.lastClose', { z: status.lastClose.zNo, day: status.lastClose.day })}
          </span>
        )}
        <Button
          onClick={() =>
            day &&
            void loadReport(
              day,
              report?.float.central?.source === 'operator' ? report.float.central.read : undefined,
            )
          }
          loading={loading}
        >
          {t('common.refresh')}
        </Button>
        {report && <PrintXButton report={report} />}
      </Space>

      <Steps
        current={step}
        size="small"
        items={[
          { title: t('day.step.x') },
          { title: t('day.step.count') },
          { title: t('day.step.review') },
          { title: t('day.step.z') },
        ]}
      />

      <ErrorAlert error={error} />

      {report && (
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title={t('day.float.title')} size="small" data-testid="x-float">
              <FloatSection report={report} />
              {!closed && !f?.central && (
                <div className="stack" style={{ marginTop: 12 }}>
                  <Alert type="info" showIcon message={f?.centralMissing ?? t('day.float.noCentral')} />
                  <Space.Compact style={{ maxWidth: 360 }}>
                    <YuanInput
                      value={typedCentral}
                      onChange={setTypedCentral}
                      placeholder={t('day.float.typeCentral')}
                      data-testid="central-input"
                      onPressEnter={applyTyped}
                    />
                    <Button onClick={applyTyped} disabled={!typed} data-testid="central-apply">
                      {t('day.float.applyCentral')}
                    </Button>
                  </Space.Compact>
                </div>
              )}
              {!closed && f?.remarkRequired && (
                <RemarkField
                  part="float"
                  value={floatRemark}
                  onChange={setFloatRemark}
                  missing={floatNeedsRemark}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('day.cash.title')} size="small" data-testid="x-cash">
              {closed || counted ? (
                <>
                  <CashSection report={report} />
                  {!closed && report.count && report.count.txnsAfterCount > 0 && (
                    <Alert
                      type="warning"
                      showIcon
                      style={{ marginTop: 8 }}
                      message={t('day.cash.stale', { n: report.count.txnsAfterCount })}
                    />
                  )}
                  {!closed && report.cash?.remarkRequired && (
                    <RemarkField
                      part="cash"
                      value={cashRemark}
                      onChange={setCashRemark}
                      missing={cashNeedsRemark}
                    />
                  )}
                  {!closed && (
                    <Button style={{ marginTop: 12 }} onClick={() => setRecount(true)} data-testid="recount">
                      {t('day.cash.recount')}
                    </Button>
                  )}
                </>
              ) : (
                <div className="stack">
                  <Alert type="info" showIcon message={t('day.cash.blind')} data-testid="cash-hidden" />
                  <CashCountForm
                    day={report.businessDay}
                    firstClose={!status?.lastClose}
                    onCounted={(r) => {
                      setRecount(false);
                      setCloseError(null);
                      if (!r.float.central && appliedCentral.current)
                        void loadReport(r.businessDay, appliedCentral.current);
                      else setReport(r);
                    }}
                  />
                </div>
              )}
              <ShiftsSection report={report} />
            </Card>
          </Col>
        </Row>
      )}

      {report && !closed && (
        <Card size="small" data-testid="close-card">
          <div className="stack">
            {report.blockers
              .filter((b) => b.code !== 'NOT_COUNTED')
              .map((b) => (
                <Alert
                  key={b.code}
                  type="warning"
                  showIcon
                  message={b.message}
                  data-testid={`blocker-${b.code}`}
                />
              ))}
            {(floatNeedsRemark || cashNeedsRemark) && counted && (
              <Alert type="error" showIcon data-testid="remark-needed" message={t('day.remarkNeeded')} />
            )}
            <ErrorAlert error={closeError} />
            <Space>
              <Button
                type="primary"
                size="large"
                danger={!!(f?.remarkRequired || report.cash?.remarkRequired)}
                disabled={!counted || !report.closable}
                loading={closing}
                onClick={() => setConfirming(true)}
                data-testid="close-submit"
              >
                {t('day.close')}
              </Button>
              <span className="muted">{t('day.closeHint')}</span>
            </Space>
          </div>
          <CloseConfirm
            report={report}
            zNo={(status?.lastClose?.zNo ?? 0) + 1}
            floatRemark={floatRemark}
            cashRemark={cashRemark}
            open={confirming}
            closing={closing}
            onConfirm={() => void closeDay()}
            onCancel={() => setConfirming(false)}
          />
        </Card>
      )}

      {report && closed && report.zNo !== null && (
        <ZSlipPanel
          zNo={report.zNo}
          version={historyVersion}
          onPrinted={() => setHistoryVersion((v) => v + 1)}
        />
      )}

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <FloatWarning always />
        </Col>
        <Col xs={24} lg={12}>
          <TakingsSettle
            onSettled={() => {
              afterPosting();
              if (day) void loadReport(day);
            }}
          />
        </Col>
      </Row>

      <ZHistory version={historyVersion} onOpen={(d) => setDay(d)} />
    </div>
  );
}
