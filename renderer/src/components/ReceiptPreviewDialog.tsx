// The slip as the printer will print it: receipt.preview's SVG, shown as an image (never injected
// as markup, so nothing in it can run). Loaded when first opened (see ReceiptPreview.tsx).
import { useEffect, useState } from 'react';
import { Modal, Spin, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../api';
import { ErrorAlert } from './ErrorAlert';
import { svgDataUrl } from './svg-data-url';

export default function ReceiptPreviewDialog({
  txnId,
  open,
  onClose,
}: {
  txnId: number | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // The width asked for (none: the printer's setting) and the width the backend rendered.
  const [requested, setRequested] = useState<32 | 48 | undefined>(undefined);
  const [columns, setColumns] = useState<32 | 48 | undefined>(undefined);
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!open || txnId === null) return;
    let live = true;
    setLoading(true);
    setError(null);
    call('receipt.preview', requested ? { txnId, columns: requested } : { txnId })
      .then((r) => {
        if (!live) return;
        setSvg(r.svg);
        setColumns(r.columns);
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [open, txnId, requested]);

  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      title={t('print.previewTitle')}
      width={520}
      destroyOnHidden
      data-testid="receipt-preview"
    >
      <Radio.Group
        value={columns}
        onChange={(e) => setRequested(e.target.value as 32 | 48)}
        optionType="button"
        size="small"
        style={{ marginBottom: 12 }}
      >
        <Radio.Button value={32}>{t('printer.columns32')}</Radio.Button>
        <Radio.Button value={48}>{t('printer.columns48')}</Radio.Button>
      </Radio.Group>
      {error ? <ErrorAlert error={error} title={t('print.previewUnavailable')} /> : null}
      <Spin spinning={loading}>
        {svg && !error && (
          <div className="receipt-preview">
            <img src={svgDataUrl(svg)} alt={t('print.previewTitle')} data-testid="receipt-preview-img" />
          </div>
        )}
      </Spin>
    </Modal>
  );
}
