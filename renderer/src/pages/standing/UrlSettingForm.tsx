// An address setting's form (the platform's, the monitor upload's): one field, checked by the
// channel's own rule, and its save button.
import type { ReactNode } from 'react';
import { Button, Form, Input, type FormInstance, type FormRule } from 'antd';
import { useTranslation } from 'react-i18next';

export function UrlSettingForm(p: {
  form: FormInstance<{ url: string }>;
  onSave: (v: { url: string }) => void;
  label: string;
  rule: FormRule;
  extra: ReactNode;
  placeholder: string;
  busy: boolean;
  disabled?: boolean;
  /** The field's test id; the button's is this with `-save`. */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Form<{ url: string }>
      form={p.form}
      layout="vertical"
      onFinish={p.onSave}
      initialValues={{ url: '' }}
      style={{ marginTop: 8 }}
      {...(p.disabled === undefined ? {} : { disabled: p.disabled })}
    >
      <Form.Item name="url" label={p.label} rules={[p.rule]} extra={p.extra}>
        <Input placeholder={p.placeholder} autoComplete="off" data-testid={p.testId} />
      </Form.Item>
      <Button htmlType="submit" loading={p.busy} data-testid={`${p.testId}-save`}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
