// The text boxes the screens share. LabelledInput: a text box under its field label: the label names the box (htmlFor = id), so a screen reader
// and a click on the label both reach it. AmountInput is the money box of the counter's steps
// (cash received, a customer-chosen amount): digits, a point and a minus sign only — the minus
// stays so that −200 is refused, not taken as 200 (issue 13 problem 10) — at most 12 characters,
// with the yuan unit behind. YuanInput: a box for an amount in yuan, the unit behind it.
import { forwardRef, type ReactNode } from 'react';
import { Input, type InputProps, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';

export interface LabelledInputProps extends InputProps {
  id: string;
  label: ReactNode;
}

export const LabelledInput = forwardRef<InputRef, LabelledInputProps>(function LabelledInput(
  { id, label, ...input },
  ref,
) {
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <Input id={id} ref={ref} {...input} />
    </>
  );
});

export interface AmountInputProps extends Omit<LabelledInputProps, 'onChange'> {
  value: string;
  onChange: (v: string) => void;
}

export const AmountInput = forwardRef<InputRef, AmountInputProps>(function AmountInput(
  { onChange, ...input },
  ref,
) {
  const { t } = useTranslation();
  return (
    <LabelledInput
      ref={ref}
      size="large"
      inputMode="decimal"
      autoComplete="off"
      className="cash-input"
      onChange={(e) => onChange(e.target.value.replace(/[^0-9.-]/g, '').slice(0, 12))}
      suffix={t('money.unit')}
      {...input}
    />
  );
});

export interface YuanInputProps extends Omit<InputProps, 'onChange'> {
  value: string;
  onChange: (v: string) => void;
}

export const YuanInput = forwardRef<InputRef, YuanInputProps>(function YuanInput(
  { onChange, ...input },
  ref,
) {
  const { t } = useTranslation();
  return (
    <Input
      ref={ref}
      onChange={(e) => onChange(e.target.value)}
      suffix={t('money.unit')}
      inputMode="decimal"
      {...input}
    />
  );
});
