// The text boxes the screens share.
// - LabelledInput: a text box under its field label; the label names the box (htmlFor = id), so a
//   screen reader and a click on the label both reach it.
// - YuanInput: a box for an amount in yuan, the unit behind it; it hands on the text typed.
// - AmountInput: the labelled money box of the counter's steps (cash received, a customer-chosen
//   amount): digits, a point and a minus sign only — the minus stays so that −200 is refused, not
//   taken as 200 (issue 13 problem 10) — at most 12 characters.
import { forwardRef, type ReactNode } from 'react';
import { Input, type InputProps, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';

interface Labelled {
  id: string;
  label: ReactNode;
}

function FieldLabel({ id, label }: Labelled) {
  return (
    <label htmlFor={id} className="field-label">
      {label}
    </label>
  );
}

export const LabelledInput = forwardRef<InputRef, InputProps & Labelled>(function LabelledInput(
  { id, label, ...input },
  ref,
) {
  return (
    <>
      <FieldLabel id={id} label={label} />
      <Input id={id} ref={ref} {...input} />
    </>
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

export const AmountInput = forwardRef<InputRef, YuanInputProps & Labelled>(function AmountInput(
  { id, label, onChange, ...input },
  ref,
) {
  return (
    <>
      <FieldLabel id={id} label={label} />
      <YuanInput
        id={id}
        ref={ref}
        size="large"
        autoComplete="off"
        className="cash-input"
        onChange={(v) => onChange(v.replace(/[^0-9.-]/g, '').slice(0, 12))}
        {...input}
      />
    </>
  );
});
