// A refusal or failure as the operator reads it: the catalogue's message for its code in the UI's
// language (locales: `errors.<CODE>.<variant>`, from shared/messages), the code small.
import { Alert } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { detailsFor, messageKey } from '../../../shared/messages/format';
import i18n from '../i18n';
import { ApiError } from '../api';

export function errorMessage(e: unknown, t: TFunction, lang = i18n.language): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t('error.network');
    if (!e.fromCatalogue) return e.message;
    const [code, variant] = messageKey(e.code, e.details);
    // `replace` keeps the details apart from i18next's own options (count, context...).
    return t(`errors.${code}.${variant}`, {
      replace: detailsFor(lang, e.details),
      defaultValue: e.message,
    });
  }
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

/** A refusal in a small form (the login, the shift handover): its message only, read out at once
 *  (role="alert"). Nothing while there is none. */
export function FormErrorAlert({
  error,
  testId,
  style,
}: {
  error: unknown;
  testId?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  if (error === null) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={errorMessage(error, t)}
      data-testid={testId}
      style={style}
    />
  );
}
