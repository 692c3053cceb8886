// 交易查询 — the day's (or any day's) transactions, filtered, paged by id, each openable for
// detail, reversal (SRV-3) and reprint (重印). A reversed original carries 已冲正 everywhere.
import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { Table, DatePicker, Select, Space, Button, Card, Input, Grid } from 'antd';
import { useMessage } from '../../components/message';
import { ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TxnDto, TxnKind } from '../../../../shared/contract';
import type { ServiceId } from '../../../../shared/catalogue';
import { call, isUnavailable } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert, errorMessage } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { KindTag, ReversedTag } from '../../components/TxnTags';
import { TxnDetailDrawer } from '../../components/TxnDetailDrawer';
import { ReverseDialog } from '../../components/ReverseDialog';
import { SERVICE_ORDER, TXN_KINDS, kindKey, localTime, serviceKey } from '../../components/labels';

const PAGE_SIZE = 50;

interface Filters {
  day: Dayjs | null;
  service?: ServiceId;
  kind?: TxnKind;
  operatorId?: string;
  /** Account, receipt serial, voucher number / bank reference, or amount. */
  search?: string;
}

type ChoiceField = 'service' | 'kind' | 'operatorId';

/** The list's choice filters: the placeholder (what a cleared filter means) and the width. */
const CHOICES: Record<ChoiceField, { anyKey: string; width: number }> = {
  service: { anyKey: 'txns.anyService', width: 140 },
  kind: { anyKey: 'txns.anyKind', width: 160 },
  operatorId: { anyKey: 'txns.anyOperator', width: 160 },
};

/** One of the list's choice filters (service, kind, operator): cleared, it filters nothing. */
function FilterSelect<F extends ChoiceField>({
  field,
  filters,
  setFilters,
}: {
  field: F;
  filters: Filters;
  setFilters: Dispatch<SetStateAction<Filters>>;
}) {
  const { t } = useTranslation();
  const { operators } = useStation();
  const options: Record<ChoiceField, { value: string; label: string }[]> = {
    service: SERVICE_ORDER.map((s) => ({ value: s, label: t(serviceKey(s)) })),
    kind: TXN_KINDS.map((k) => ({ value: k, label: t(kindKey(k)) })),
    operatorId: operators.map((o) => ({ value: o.id, label: o.name })),
  };
  const label = t(CHOICES[field].anyKey);
  return (
    <Select<Filters[F]>
      allowClear
      placeholder={label}
      aria-label={label}
      style={{ width: CHOICES[field].width }}
      value={filters[field]}
      onChange={(v) => setFilters((f) => ({ ...f, [field]: v }))}
      options={options[field]}
      data-testid={`filter-${field}`}
    />
  );
}

export function TransactionsPage({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const message = useMessage();
  const { postingsVersion } = useStation();
  // Below 1200 px (1024×768 screens) the float-after and operator columns give way and the
  // service moves under the account, so every row fits with 重印 in view (issue 13 problem 9).
  const wide = Grid.useBreakpoint().xl !== false;
  const [filters, setFilters] = useState<Filters>({ day: null });
  const [searchText, setSearchText] = useState('');
  const [items, setItems] = useState<TxnDto[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [detail, setDetail] = useState<TxnDto | null>(null);
  const [reversing, setReversing] = useState<TxnDto | null>(null);

  const query = useCallback(
    (beforeId?: number) => ({
      ...(filters.day ? { day: filters.day.format('YYYY-MM-DD') } : {}),
      ...(filters.service ? { service: filters.service } : {}),
      ...(filters.kind ? { kind: filters.kind } : {}),
      ...(filters.operatorId ? { operatorId: filters.operatorId } : {}),
      ...(filters.search ? { search: filters.search } : {}),
      ...(beforeId ? { beforeId } : {}),
      limit: PAGE_SIZE,
    }),
    [filters],
  );

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await call('txn.list', query());
      setItems(r.items);
      setNext(r.nextBeforeId);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [query]);

  const loadMore = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const r = await call('txn.list', query(next));
      setItems((xs) => [...xs, ...r.items]);
      setNext(r.nextBeforeId);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (active) void load();
  }, [active, load, postingsVersion]);

  const reprint = async (txn: TxnDto) => {
    try {
      const { job } = await call('print.reprint', { txnId: txn.txnId });
      const text = `${t('print.reprintNo', { n: job.reprintNo })} · ${t(`print.status.${job.status}`)}`;
      if (job.status === 'printed') void message.success(text);
      else void message.warning(`${text} · ${t('print.queued')}`);
    } catch (e) {
      void message.error(isUnavailable(e) ? t('print.unavailable') : errorMessage(e, t));
    }
  };

  return (
    <div className="page" data-testid="transactions-page">
      <h2 className="page-title">{t('txns.title')}</h2>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('txns.searchPlaceholder')}
            aria-label={t('txns.search')}
            style={{ width: 260 }}
            maxLength={40}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(v) => setFilters((f) => ({ ...f, search: v.trim() || undefined }))}
            data-testid="txn-search"
          />
          <DatePicker
            value={filters.day}
            onChange={(d) => setFilters((f) => ({ ...f, day: d }))}
            placeholder={t('txns.anyDay')}
            aria-label={t('txn.businessDay')}
            data-testid="filter-day"
          />
          <FilterSelect field="service" filters={filters} setFilters={setFilters} />
          <FilterSelect field="kind" filters={filters} setFilters={setFilters} />
          <FilterSelect field="operatorId" filters={filters} setFilters={setFilters} />
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('common.refresh')}
          </Button>
        </Space>
      </Card>
      {error ? <ErrorAlert error={error} /> : null}
      <Table<TxnDto>
        className="txn-table"
        rowKey="txnId"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={false}
        {...(filters.search ? { locale: { emptyText: t('txns.noMatch') } } : {})}
        onRow={(r) =>
          ({
            onDoubleClick: () => setDetail(r),
            'data-serial': r.serial,
            'data-testid': 'txn-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        rowClassName={(r) => (r.reversedByTxnId ? 'row-reversed' : '')}
        columns={[
          {
            title: t('txn.serial'),
            dataIndex: 'serial',
            render: (v: string) => <span className="serial">{v}</span>,
          },
          {
            title: t('txn.time'),
            dataIndex: 'createdAt',
            render: (v: string) => localTime(v).slice(5, wide ? undefined : 16),
          },
          {
            title: t('txn.kind'),
            key: 'kind',
            render: (_: unknown, r) => (
              <Space size={4}>
                <KindTag txn={r} />
                <ReversedTag txn={r} />
              </Space>
            ),
          },
          ...(wide
            ? [
                {
                  title: t('txn.service'),
                  dataIndex: 'service',
                  render: (v?: ServiceId) => (v ? t(serviceKey(v)) : ''),
                },
              ]
            : []),
          {
            title: t('txns.reference'),
            key: 'ref',
            render: (_: unknown, r) => (
              <span>
                {!wide && r.service && <div className="muted small">{t(serviceKey(r.service))}</div>}
                <span className="mono">{r.accountNo ?? r.voucherNo ?? r.bankRef ?? ''}</span>
                {r.reversesSerial && (
                  <div className="muted small">{t('txns.reversesRef', { serial: r.reversesSerial })}</div>
                )}
              </span>
            ),
          },
          {
            title: t('txn.total'),
            dataIndex: 'total',
            align: 'right',
            render: (v: string, r) => <Money value={v} tone={r.kind === 'reversal' ? 'danger' : undefined} />,
          },
          ...(wide
            ? [
                {
                  title: t('txn.floatAfter'),
                  dataIndex: 'floatAfter',
                  align: 'right' as const,
                  render: (v: string) => <Money value={v} size="sm" />,
                },
                { title: t('txn.operator'), dataIndex: 'operatorName' },
              ]
            : []),
          {
            title: '',
            key: 'actions',
            render: (_: unknown, r) => (
              <Space size={4}>
                <Button size="small" onClick={() => setDetail(r)} data-testid="row-detail">
                  {t('txns.detail')}
                </Button>
                <Button
                  size="small"
                  danger
                  disabled={r.kind === 'reversal' || r.kind === 'takings_settlement' || !!r.reversedByTxnId}
                  onClick={() => setReversing(r)}
                  data-testid="row-reverse"
                >
                  {t('txn.reverse')}
                </Button>
                <Button size="small" onClick={() => void reprint(r)} data-testid="row-reprint">
                  {t('print.reprint')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <div className="load-more">
        {next ? (
          <Button onClick={() => void loadMore()} loading={loading} data-testid="load-more">
            {t('txns.more')}
          </Button>
        ) : (
          items.length > 0 && <span className="muted">{t('txns.end', { n: items.length })}</span>
        )}
      </div>
      <TxnDetailDrawer
        txn={detail}
        open={!!detail}
        onClose={() => setDetail(null)}
        onChanged={() => void load()}
      />
      <ReverseDialog
        txn={reversing}
        open={!!reversing}
        onClose={() => setReversing(null)}
        onReversed={() => void load()}
      />
    </div>
  );
}
