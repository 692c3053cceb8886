// PPL-4, PPL-5: the agreement's end and the certificate's expiry, from the platform's signed
// profile, warned of on every screen 30 days ahead and every day after; the profile's own
// validity too, and a station that has none (not activated).
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProfileWarning } from '../../../shared/station-profile';
import { useStation } from './station-context';

function dayOf(ends: string): string {
  return ends.length > 10 ? new Date(Date.parse(ends) + 8 * 3600_000).toISOString().slice(0, 10) : ends;
}

export function ProfileBanner() {
  const { t } = useTranslation();
  const warnings = useStation().station?.warnings ?? [];
  if (warnings.length === 0) return null;
  const text = (w: ProfileWarning) =>
    t(`profileWarning.${w.kind}${w.daysLeft < 0 ? 'Past' : ''}`, { ends: dayOf(w.ends), days: w.daysLeft });
  const past = warnings.some((w) => w.daysLeft < 0 || w.kind === 'no_profile');
  return (
    <Alert
      type={past ? 'error' : 'warning'}
      showIcon
      banner
      role={past ? 'alert' : 'status'}
      data-testid="profile-warnings"
      message={
        <>
          {warnings.map((w) => (
            <div key={w.kind} data-testid={`profile-warning-${w.kind}`}>
              {text(w)}
            </div>
          ))}
        </>
      }
    />
  );
}
