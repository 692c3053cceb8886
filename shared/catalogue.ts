// The service catalogue (part 2 of the seed: 代缴水电、燃气、电话费).
// SRV-4 「杜绝乱加收费用」: no fee lives here — fees come from the platform's schedule in the
// station's signed profile (shared/station-profile.ts feeOn); without one every fee is 0.00.

export const SERVICE_IDS = ['water', 'electricity', 'gas', 'telephone'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface ServiceDef {
  id: ServiceId;
  /** Key in the locale files: `service.<id>`. */
  nameZh: string;
  /** Account numbers: digits only, this many. */
  accountMinLen: number;
  accountMaxLen: number;
  /** Function key on the counter. */
  hotkey: 'F1' | 'F2' | 'F3' | 'F4';
}

export const CATALOGUE: Readonly<Record<ServiceId, ServiceDef>> = {
  water: { id: 'water', nameZh: '水费', accountMinLen: 8, accountMaxLen: 20, hotkey: 'F1' },
  electricity: {
    id: 'electricity',
    nameZh: '电费',
    accountMinLen: 8,
    accountMaxLen: 20,
    hotkey: 'F2',
  },
  gas: { id: 'gas', nameZh: '燃气费', accountMinLen: 8, accountMaxLen: 20, hotkey: 'F3' },
  telephone: {
    id: 'telephone',
    nameZh: '电话费',
    accountMinLen: 8,
    accountMaxLen: 20,
    hotkey: 'F4',
  },
};

export const ACCOUNT_NO_RE = /^[0-9]{8,20}$/;

export function serviceDef(id: ServiceId): ServiceDef {
  return CATALOGUE[id];
}
