// A setting's form field (the platform's address, the upload address, the opening date, the idle
// lock) shows what is stored: it follows the stored value until the operator types — what is
// being typed is never overwritten by a reply that arrives meanwhile — and a save puts the stored
// value back in it, to follow from then on.
import { useCallback, useEffect } from 'react';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../components/message';
import { errorMessage } from '../../components/ErrorAlert';

export function useStoredField<V>(form: FormInstance, field: string, stored: V | undefined) {
  useEffect(() => {
    if (stored !== undefined && !form.isFieldTouched(field)) form.setFieldsValue({ [field]: stored });
  }, [stored, form, field]);
}

export interface SettingSave<R> {
  form: FormInstance;
  field: string;
  setBusy: (on: boolean) => void;
  save: () => Promise<R>;
  /** The field's value as stored, from the reply. */
  stored: (saved: R) => unknown;
  /** Takes the reply; returns the notice to show. */
  done: (saved: R) => string;
}

/** Saves a setting: busy meanwhile; saved, the field shows what is stored and the notice is shown;
 *  refused, the refusal is told (the field keeps what was typed). */
export function useSaveSetting() {
  const { t } = useTranslation();
  const message = useMessage();
  return useCallback(
    async <R>({ form, field, setBusy, save, stored, done }: SettingSave<R>) => {
      setBusy(true);
      try {
        const saved = await save();
        form.resetFields([field]);
        form.setFieldsValue({ [field]: stored(saved) });
        void message.success(done(saved));
      } catch (e) {
        void message.error(errorMessage(e, t));
      } finally {
        setBusy(false);
      }
    },
    [message, t],
  );
}
