// The station channels of the API contract: who this station is, its services, its float.
// Assembled into `channels` in ./index.ts. Money crosses this boundary only as decimal strings.
import type { ServiceId } from '../catalogue';
import { noArgs } from '../schemas';

// ---- DTOs -------------------------------------------------------------------------------------

export interface StationDto {
  institutionNo: string;
  name: string;
  demo: boolean;
  greenCardMasked: string | null;
  businessDay: string;
}

export interface CatalogueItemDto {
  id: ServiceId;
  nameZh: string;
  fee: string;
  hotkey: string;
  trained: boolean;
}

// ---- channels ---------------------------------------------------------------------------------

export const stationChannels = {
  'station.get': { input: noArgs, output: {} as StationDto },
  'catalogue.list': { input: noArgs, output: {} as { items: CatalogueItemDto[] } },
  'float.balance': { input: noArgs, output: {} as { balance: string; pending: string; available: string } },
} as const;
