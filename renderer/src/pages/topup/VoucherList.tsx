// PAY-2: every credited voucher, searchable, for the inspector (备查).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Table, Input, DatePicker, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { VoucherDto } from '../../../../shared/contract';
import { call } from '../../api';
import { useStation } from '../../app/station-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { localTime } from '../../components/labels';
import { loadInto } from '../../components/load-into';

export function VoucherList() {
  const { t } = useTranslation();
  const { postingsVersion } = useStation();
  const [search, setSearch] = useState('');
  // The search as typed, for the reloads it does not ask for (a new posting, another range): the
  // search itself reloads only on Enter or the search button.
  const typed = useRef('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [items, setItems] = useState<VoucherDto[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    const from = range?.[0]?.format('YYYY-MM-DD');
    const to = range?.[1]?.format('YYYY-MM-DD');
    const q = typed.current.trim();
    return loadInto(
      () =>
        call('voucher.list', {
          ...(q ? { search: q } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          limit: 200,
        }),
      (r) => setItems(r.items),
      setError,
      setLoading,
    );
  }, [range]);

  useEffect(() => {
    void load();
  }, [postingsVersion, load]);

  return (
    <div className="stack" data-testid="voucher-list">
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('vouchers.search')}
          value={search}
          onChange={(e) => {
            typed.current = e.target.value;
            setSearch(e.target.value);
          }}
          onSearch={() => void load()}
          style={{ width: 280 }}
          maxLength={32}
          data-testid="voucher-search"
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />
      </Space>
      {error ? <ErrorAlert error={error} /> : null}
      <Table<VoucherDto>
        rowKey="voucherNo"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t('txn.voucherNo'),
            dataIndex: 'voucherNo',
            render: (v: string) => <span className="mono">{v}</span>,
          },
          { title: t('txn.branchCode'), dataIndex: 'branchCode' },
          { title: t('txn.clerk'), dataIndex: 'clerk' },
          {
            title: t('topup.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: string) => <Money value={v} />,
          },
          { title: t('txn.depositedAt'), dataIndex: 'depositedAt', render: (v: string) => localTime(v) },
          {
            title: t('txn.serial'),
            dataIndex: 'serial',
            render: (v: string) => <span className="serial">{v}</span>,
          },
          {
            title: '',
            dataIndex: 'reversed',
            render: (r: boolean) => (r ? <Tag color="red">{t('txn.reversed')}</Tag> : null),
          },
        ]}
      />
    </div>
  );
}
