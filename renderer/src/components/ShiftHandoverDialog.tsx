// 交接班 (issue 12), the dialog: the operator counts the drawer blind — the expected figure is
// shown only with the shift X report, after the count — and the shift ends; the report is printed
// (or waits in the print queue) and may be reprinted from here; then the next operator logs in.
// Its own chunk, fetched when first opened (ShiftHandover.tsx).
import { useRef, useState } from 'react';
import type { InputRef } from 'antd';
import { Button, Descriptions, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ShiftEndDto } from '../../../shared/contract';
import { call, setSession } from '../api';
import { FormErrorAlert } from './ErrorAlert';
import { PrintOutcome, type PrintState } from './print-outcome';

export default function ShiftHandoverDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [counted, setCounted] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ShiftEndDto | null>(null);
  const [print, setPrint] = useState<PrintState>({ phase: 'idle' });
  const countRef = useRef<InputRef>(null);

  const submit = async () => {
    if (busy || counted.trim() === '') return;
    setBusy(true);
    try {
      const r = await call('shift.end', { countedCash: counted.trim() });
      setDone(r);
      setPrint({ phase: 'done', job: r.job, reprint: false });
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const reprint = async () => {
    if (!done) return;
    setPrint({ phase: 'printing', reprint: true });
    try {
      const { job } = await call('shift.reprint', { shiftId: done.shiftId });
      setPrint({ phase: 'done', job, reprint: true });
    } catch (e) {
      setPrint({ phase: 'error', error: e, reprint: true });
    }
  };
  const finish = () => {
    onClose();
    setDone(null);
    setPrint({ phase: 'idle' });
    setCounted('');
    // The handed-over session could still reprint the report: it ends here.
    void call('auth.logout')
      .catch(() => undefined)
      .finally(() => setSession(undefined));
  };

  return (
    <Modal
      open={open}
      title={t('shift.title')}
      onCancel={done ? finish : onClose}
      footer={null}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) countRef.current?.focus();
      }}
    >
      {done ? (
        <div data-testid="shift-report">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('shift.operator')}>{done.operatorName}</Descriptions.Item>
            <Descriptions.Item label={t('shift.txns')}>{done.txnCount}</Descriptions.Item>
            <Descriptions.Item label={t('shift.payments')}>{done.payments}</Descriptions.Item>
            <Descriptions.Item label={t('shift.counted')}>{done.countedCash}</Descriptions.Item>
            <Descriptions.Item label={t('shift.expected')}>{done.expectedCash}</Descriptions.Item>
            <Descriptions.Item label={t('shift.variance')}>
              <span data-testid="shift-variance">{done.variance}</span>
            </Descriptions.Item>
          </Descriptions>
          <div style={{ marginTop: 12 }} data-testid="shift-print">
            <PrintOutcome state={print} onReprint={() => void reprint()} />
          </div>
          <Button
            type="primary"
            block
            style={{ marginTop: 16 }}
            onClick={finish}
            autoFocus
            data-testid="shift-done"
          >
            {t('shift.done')}
          </Button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p>{t('shift.blind')}</p>
          <Input
            ref={countRef}
            value={counted}
            onChange={(e) => setCounted(e.target.value)}
            inputMode="decimal"
            autoFocus
            aria-label={t('shift.counted')}
            data-testid="shift-counted"
          />
          <FormErrorAlert error={error} style={{ marginTop: 12 }} />
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            block
            style={{ marginTop: 16 }}
            data-testid="shift-submit"
          >
            {t('shift.submit')}
          </Button>
        </form>
      )}
    </Modal>
  );
}
