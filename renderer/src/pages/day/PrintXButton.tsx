// 打印X报表 (issue 13 problem 10: the X report could not be printed). The figures as they stand,
// on paper through the print queue: it waits there when the printer is off.
import { useState } from 'react';
import { Button } from 'antd';
import { useMessage } from '../../components/message';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DayReportDto } from '../../../../shared/contract';
import { call } from '../../api';
import { errorMessage } from '../../components/ErrorAlert';

export function PrintXButton({ report }: { report: DayReportDto }) {
  const { t } = useTranslation();
  const message = useMessage();
  const [busy, setBusy] = useState(false);
  if (report.kind !== 'X') return null;
  const typed = report.float.central?.source === 'operator' ? report.float.central.read : undefined;
  const print = async () => {
    setBusy(true);
    try {
      const r = await call('day.printX', {
        day: report.businessDay,
        ...(typed ? { centralBalance: typed } : {}),
      });
      if (r.outcome === 'sent') void message.success(t('day.printX.sent', { serial: r.serial }));
      else void message.warning(r.message);
    } catch (e) {
      void message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<PrinterOutlined />} onClick={() => void print()} loading={busy} data-testid="print-x">
      {t('day.printX.button')}
    </Button>
  );
}
