// A refusal or failure as the operator reads it: the backend's Chinese message, the code small.
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

export function errorMessage(e: unknown, t: (k: string) => string): string {
  if (e instanceof ApiError) return e.code === 'NETWORK' ? t('error.network') : e.message;
  return e instanceof Error ? e.message : String(e);
}

export function ErrorAlert({
  error,
  action,
  title,
}: {
  error: unknown;
  action?: ReactNode;
  title?: ReactNode;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-alert"
      data-code={code}
      message={title ?? errorMessage(error, t)}
      description={
        title ? errorMessage(error, t) : code ? <span className="error-code">{code}</span> : undefined
      }
      action={action}
    />
  );
}
