// The first run (issue 12 item 1) and the platform address (issue 10): a data folder with no
// station yet offers the demo station or a real one — activated with the platform's URL, the
// 机构号 and the one-time activation code the office issued — and a set-up station keeps its
// platform's URL as a setting the holder may change. Assembled into `channels` in ./index.ts.
import { z } from 'zod';
import { noArgs, text } from '../schemas';
import { isHttpUrl } from './monitoring';

// ---- building blocks ------------------------------------------------------------------------

export const MAX_PLATFORM_URL_CHARS = 200;

/** The postal platform's address: http(s) only, with a host and no credentials. */
export const platformUrl = text()
  .trim()
  .min(1, '请填写邮政平台地址')
  .max(MAX_PLATFORM_URL_CHARS, `邮政平台地址最长 ${MAX_PLATFORM_URL_CHARS} 个字符`)
  .refine(isHttpUrl, '邮政平台地址应为 http:// 或 https:// 开头的网址，例如 https://yizhan.post.example.cn');

/** The 机构号 the office gave the station: digits. */
export const setupInstitutionNo = z
  .string()
  .trim()
  .regex(/^[0-9]{4,32}$/, '机构号应为 4–32 位数字');

/** The one-time code as the office shows it (XXXX-XXXX-XXXX); case and separators do not matter. */
export const activationCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{10,18}[A-Za-z0-9]$/, '激活码应为 12 位字母或数字（如 ABCD-EFGH-JKLM）');

export const setupActivateInput = z.object({
  platformUrl,
  institutionNo: setupInstitutionNo,
  activationCode,
});

// ---- DTOs -------------------------------------------------------------------------------------

/**
 * setup  no station in the data folder and no choice made: only the setup channels answer
 * ready  the station runs (every other channel answers; the setup ones refuse ALREADY_SET_UP)
 */
export interface SetupStatusDto {
  state: 'setup' | 'ready';
  /** The platform address given at start (--platform), to fill the 正式站点 form with. */
  platformUrl: string | null;
}

export interface PlatformSettingDto {
  /** The stored address (a real station's); for the demo, the embedded platform's. */
  url: string;
  /** The address the gateway talks to now (the stored one at start, or --platform). */
  inUse: string;
  /** The demo station: its platform runs embedded beside it, its address is not a setting. */
  embedded: boolean;
  /** The stored address differs from the one in use: it takes effect at the next start. */
  restartNeeded: boolean;
  /** --platform (YIZHAN_PLATFORM) overrides the stored address for this run. */
  overridden: boolean;
}

// ---- channels ---------------------------------------------------------------------------------

export const setupChannels = {
  /** Before anyone logs in: is this folder set up? */
  'setup.status': { input: noArgs, output: {} as SetupStatusDto },
  /** The demo station (embedded platform, a labelled demo holder). Refusal: ALREADY_SET_UP. */
  'setup.demo': { input: noArgs, output: {} as SetupStatusDto },
  /** A real station: key pair, activation at the platform, the signed profile kept, the station
   *  made from it. Refusals: INVALID_INPUT, ACTIVATION_REFUSED, PLATFORM_UNREACHABLE,
   *  ALREADY_SET_UP; nothing is written on any of them. */
  'setup.activate': { input: setupActivateInput, output: {} as SetupStatusDto },
  'platform.get': { input: noArgs, output: {} as PlatformSettingDto },
  /** The holder only. Refusals: INVALID_INPUT, PLATFORM_EMBEDDED (the demo), NOT_PERMITTED. */
  'platform.setUrl': { input: z.object({ url: platformUrl }), output: {} as PlatformSettingDto },
} as const;
