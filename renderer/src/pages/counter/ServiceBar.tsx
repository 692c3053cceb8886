// The services this operator may take (PPL-2: untrained services are not offered), one key each.
import { useTranslation } from 'react-i18next';
import type { CatalogueItemDto } from '../../../../shared/contract';
import type { ServiceId } from '../../../../shared/catalogue';
import { serviceKey } from '../../components/labels';

export function ServiceBar({
  items,
  selected,
  disabled,
  onSelect,
}: {
  items: CatalogueItemDto[];
  selected: ServiceId | null;
  disabled: boolean;
  onSelect: (id: ServiceId) => void;
}) {
  const { t } = useTranslation();
  const offered = items.filter((i) => i.trained);
  const hidden = items.length - offered.length;
  return (
    <div className="service-bar" role="radiogroup" aria-label={t('counter.service')}>
      {offered.map((i) => (
        <button
          key={i.id}
          type="button"
          role="radio"
          aria-checked={selected === i.id}
          className={`service-button${selected === i.id ? ' selected' : ''}`}
          disabled={disabled}
          onClick={() => onSelect(i.id)}
          data-testid={`service-${i.id}`}
          tabIndex={-1}
        >
          <span className="service-key">{i.hotkey}</span>
          <span className="service-name">{t(serviceKey(i.id))}</span>
          <span className="service-fee">{t('counter.feeLabel', { fee: i.fee })}</span>
        </button>
      ))}
      {offered.length === 0 && <div className="muted">{t('counter.noServices')}</div>}
      {hidden > 0 && offered.length > 0 && (
        <div className="muted service-hidden">{t('counter.untrainedHidden', { n: hidden })}</div>
      )}
    </div>
  );
}
