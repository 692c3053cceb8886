// 首次启动's screen (issue 12 item 1), loaded only on a folder with no station yet: the contract's
// schemas it validates with stay out of the counter's first script.
import { useEffect, useRef, useState, type Ref } from 'react';
import { Button, Card, Form, Input, Space, Typography, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { channels, type SetupStatusDto } from '../../../shared/contract';
import { call } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { schemaRule } from '../components/contract-rules';

interface RealForm {
  platformUrl: string;
  institutionNo: string;
  activationCode: string;
}

const input = channels['setup.activate'].input.shape;

export default function FirstRunScreen({
  status,
  onReady,
}: {
  status: SetupStatusDto;
  onReady: (s: SetupStatusDto) => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'choose' | 'real'>('choose');
  const [busy, setBusy] = useState<'demo' | 'real' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<RealForm>();
  const demoRef = useRef<HTMLButtonElement | null>(null);

  const run = async (which: 'demo' | 'real', f: () => Promise<SetupStatusDto>) => {
    if (busy) return;
    setBusy(which);
    setError(null);
    try {
      onReady(await f());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const demo = () => void run('demo', () => call('setup.demo'));
  const activate = (v: RealForm) =>
    void run('real', () =>
      call('setup.activate', {
        platformUrl: v.platformUrl.trim(),
        institutionNo: v.institutionNo.trim(),
        activationCode: v.activationCode.trim(),
      }),
    );

  useEffect(() => {
    if (mode === 'choose') demoRef.current?.focus();
  }, [mode]);

  return (
    <div className="first-run" data-testid="first-run">
      <Card
        title={<h1 className="first-run-title">{t('firstRun.title')}</h1>}
        extra={<LanguageSwitch />}
        style={{ maxWidth: 640, margin: '48px auto' }}
      >
        {error ? (
          <div style={{ marginBottom: 16 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
        {mode === 'choose' ? (
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Typography.Paragraph>{t('firstRun.intro')}</Typography.Paragraph>
            <FirstRunOption
              type="primary"
              buttonRef={demoRef}
              autoFocus
              loading={busy === 'demo'}
              onClick={demo}
              testId="first-run-demo"
              label={t('firstRun.demo')}
              hint={t('firstRun.demoHint')}
            />
            <FirstRunOption
              disabled={busy !== null}
              onClick={() => {
                setError(null);
                setMode('real');
              }}
              testId="first-run-real"
              label={t('firstRun.real')}
              hint={t('firstRun.realHint')}
            />
          </Space>
        ) : (
          <Form<RealForm>
            form={form}
            layout="vertical"
            onFinish={activate}
            initialValues={{ platformUrl: status.platformUrl ?? '', institutionNo: '', activationCode: '' }}
            data-testid="first-run-form"
          >
            <Typography.Paragraph>{t('firstRun.realIntro')}</Typography.Paragraph>
            <Form.Item
              name="platformUrl"
              label={t('firstRun.platformUrl')}
              rules={[schemaRule(input.platformUrl)]}
              extra={t('firstRun.platformUrlHint')}
            >
              <Input
                autoFocus
                autoComplete="off"
                placeholder="https://yizhan.post.example.cn"
                data-testid="first-run-url"
              />
            </Form.Item>
            <Form.Item
              name="institutionNo"
              label={t('firstRun.institutionNo')}
              rules={[schemaRule(input.institutionNo)]}
            >
              <Input inputMode="numeric" autoComplete="off" maxLength={32} data-testid="first-run-no" />
            </Form.Item>
            <Form.Item
              name="activationCode"
              label={t('firstRun.activationCode')}
              rules={[schemaRule(input.activationCode)]}
              extra={t('firstRun.activationCodeHint')}
            >
              <Input
                autoComplete="off"
                maxLength={20}
                placeholder="XXXX-XXXX-XXXX"
                data-testid="first-run-code"
              />
            </Form.Item>
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy === 'real'}
                data-testid="first-run-activate"
              >
                {t('firstRun.activate')}
              </Button>
              <Button
                disabled={busy !== null}
                onClick={() => {
                  setError(null);
                  setMode('choose');
                }}
              >
                {t('firstRun.back')}
              </Button>
            </Space>
          </Form>
        )}
      </Card>
    </div>
  );
}

/** One of the two first choices (demo station, or a real one activated by the platform): a wide
 *  button, and under it what the choice leads to. */
function FirstRunOption({
  label,
  hint,
  testId,
  buttonRef,
  ...button
}: Pick<ButtonProps, 'type' | 'autoFocus' | 'loading' | 'disabled' | 'onClick'> & {
  label: string;
  hint: string;
  testId: string;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <div className="first-run-option">
      <Button size="large" block ref={buttonRef} data-testid={testId} {...button}>
        {label}
      </Button>
      <Typography.Paragraph type="secondary" className="first-run-hint">
        {hint}
      </Typography.Paragraph>
    </div>
  );
}
