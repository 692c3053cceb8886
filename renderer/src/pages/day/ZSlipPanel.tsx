// The Z slip as the printer will print it (receiptline SVG, shown as an image), with print and
// reprint (marked 重印 n on paper).
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Radio, Space, Spin } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ZSlipDto } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { svgDataUrl } from '../../components/svg-data-url';

export function ZSlipPanel({
  zNo,
  version,
  onPrinted,
}: {
  zNo: number;
  version: number;
  onPrinted: () => void;
}) {
  const { t } = useTranslation();
  const [columns, setColumns] = useState<32 | 48 | undefined>(undefined);
  const [slip, setSlip] = useState<ZSlipDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [printing, setPrinting] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    call('day.zSlip', columns ? { zNo, columns } : { zNo })
      .then((s) => live && setSlip(s))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [zNo, columns, version]);

  const print = async () => {
    setPrinting(true);
    setOutcome(null);
    try {
      const r = await call('day.printZ', { zNo });
      setOutcome({ ok: r.outcome === 'sent', message: r.message });
      onPrinted();
    } catch (e) {
      setError(e);
    } finally {
      setPrinting(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('day.z.title', { z: zNo })}
      data-testid="z-slip"
      extra={
        <Space>
          <Radio.Group
            value={slip?.columns}
            onChange={(e) => setColumns(e.target.value as 32 | 48)}
            size="small"
          >
            <Radio.Button value={32}>58mm</Radio.Button>
            <Radio.Button value={48}>80mm</Radio.Button>
          </Radio.Group>
          <Button
            icon={<PrinterOutlined />}
            type="primary"
            loading={printing}
            onClick={() => void print()}
            data-testid="z-print"
          >
            {slip && slip.prints > 0 ? t('day.z.reprint', { n: slip.prints }) : t('day.z.print')}
          </Button>
        </Space>
      }
    >
      <div className="stack">
        {outcome && (
          <Alert
            type={outcome.ok ? 'success' : 'warning'}
            showIcon
            message={outcome.message}
            data-testid="z-print-outcome"
          />
        )}
        <ErrorAlert error={error} />
        {slip ? (
          <img
            src={svgDataUrl(slip.svg)}
            alt={t('day.z.alt', { z: zNo })}
            className="z-slip-img"
            data-testid="z-slip-img"
            style={{ maxWidth: '100%', alignSelf: 'center', border: '1px solid #ddd', background: '#fff' }}
          />
        ) : (
          !error && <Spin />
        )}
      </div>
    </Card>
  );
}
