// 交接班 (issue 12): the header's button; the dialog (ShiftHandoverDialog.tsx: the blind count,
// the shift report) is fetched the first time it opens.
import { useState } from 'react';
import { Button } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { lazyWhenOpen } from './lazy-open';

const ShiftHandoverDialog = lazyWhenOpen(() => import('./ShiftHandoverDialog'));

export function ShiftHandover() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" icon={<SwapOutlined />} onClick={() => setOpen(true)} data-testid="shift-end">
        {t('shift.button')}
      </Button>
      <ShiftHandoverDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
