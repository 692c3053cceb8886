// The service catalogue (part 2 of the seed: 代缴水电、燃气、电话费).
// SRV-4 「杜绝乱加收费用」: the fee comes from here and nowhere else; the operator cannot change it.

export const SERVICE_IDS = ['water', 'electricity', 'gas', 'telephone'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface ServiceDef {
  id: ServiceId;
  /** Key in the locale files: `service.<id>`. */
  nameZh: string;
  /** Fee charged to the customer per payment, fen. Zero is shown on the receipt too. */
  feeFen: number;
  /** Account numbers: digits only, this many. */
  accountMinLen: number;
  accountMaxLen: number;
  /** Function key on the counter. */
  hotkey: 'F1' | 'F2' | 'F3' | 'F4';
}

export const CATALOGUE: Readonly<Record<ServiceId, ServiceDef>> = {
  water: { id: 'water', nameZh: '水费', feeFen: 0, accountMinLen: 8, accountMaxLen: 20, hotkey: 'F1' },
  electricity: {
    id: 'electricity',
    nameZh: '电费',
    feeFen: 0,
    accountMinLen: 8,
    accountMaxLen: 20,
    hotkey: 'F2',
  },
  gas: { id: 'gas', nameZh: '燃气费', feeFen: 100, accountMinLen: 8, accountMaxLen: 20, hotkey: 'F3' },
  telephone: {
    id: 'telephone',
    nameZh: '电话费',
    feeFen: 0,
    accountMinLen: 8,
    accountMaxLen: 20,
    hotkey: 'F4',
  },
};

export const ACCOUNT_NO_RE = /^[0-9]{8,20}$/;

export function serviceDef(id: ServiceId): ServiceDef {
  return CATALOGUE[id];
}
