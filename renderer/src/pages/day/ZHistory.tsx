// Past closes: each Z with its differences, to look at again and reprint.
import { useEffect, useState } from 'react';
import { Button, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ZSummaryDto } from '../../../../shared/contract';
import { call } from '../../api';
import { Money } from '../../components/Money';

export function ZHistory({ version, onOpen }: { version: number; onOpen: (day: string) => void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ZSummaryDto[]>([]);
  useEffect(() => {
    call('day.zList', { limit: 60 })
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [version]);
  if (items.length === 0) return null;
  return (
    <Card size="small" title={t('day.history.title')} data-testid="z-history">
      <Table<ZSummaryDto>
        size="small"
        rowKey="zNo"
        dataSource={items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          {
            title: t('day.history.z'),
            dataIndex: 'zNo',
            render: (z: number) => <span className="mono">Z{String(z).padStart(6, '0')}</span>,
          },
          { title: t('day.businessDay'), dataIndex: 'businessDay' },
          {
            title: t('day.history.closingFloat'),
            dataIndex: 'closingFloat',
            align: 'right',
            render: (v: string) => <Money value={v} size="sm" />,
          },
          {
            title: t('day.history.floatDifference'),
            dataIndex: 'floatDifference',
            align: 'right',
            render: (v: string) => <Money value={v} size="sm" tone={v === '0.00' ? undefined : 'danger'} />,
          },
          {
            title: t('day.history.cashVariance'),
            dataIndex: 'cashVariance',
            align: 'right',
            render: (v: string) => <Money value={v} size="sm" tone={v === '0.00' ? undefined : 'danger'} />,
          },
          { title: t('day.history.operator'), dataIndex: 'operatorName' },
          { title: t('day.history.prints'), dataIndex: 'prints', align: 'right' },
          {
            title: '',
            render: (_, r) => (
              <Button size="small" onClick={() => onOpen(r.businessDay)}>
                {t('day.history.open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
