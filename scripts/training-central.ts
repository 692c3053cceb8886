// The training ledger's central system (练习模式, PPL-2; backend/training.ts): the postal platform
// run embedded in `<data>/training/platform` — SQLite, simulated billers — with the station
// provisioned there as the demo station is (scripts/embedded-platform.ts): its services open,
// its holder trained on everything, a training opening float deposited at the demo branch. An
// authorised person is enrolled there at their first practice, trained on everything, under the
// document number that ties them to their real self. Its fee schedule follows the real station's
// (from the real signed profile) each time it starts. Nothing here talks to the real platform.
import { PlatformGateway } from '../backend/gateway/platform-gateway';
import { loadOrCreateStationKey } from '../backend/services/station-key';
import { trainingDocumentNo, type TrainingCentralFactory } from '../backend/training';
import { SERVICE_IDS } from '../shared/catalogue';
import { formatFen, toFen } from '../shared/money';
import { feeOn, TRAINING_SUBJECTS, type StationProfile } from '../shared/station-profile';
import { provisionDemoStation, recordTrainings, startEmbeddedPlatform } from './embedded-platform';

/** Training and authorisation dates of the simulated central system: before anything a test clock does. */
const SINCE = '2020-01-01';
const UNTIL = '2099-12-31';

type Provisioning = Awaited<ReturnType<typeof startEmbeddedPlatform>>['store']['provisioning'];

/** Makes the simulated system's fee schedule charge what the real one does on every day: at each
 *  date either schedule changes a fee, an entry with the real fee is appended where the two differ
 *  (the schedule is append-only; the later entry of a date wins, as feeOn reads it). */
async function followFees(prov: Provisioning, real: StationProfile['fees'], at: string): Promise<void> {
  const asProfile = (fees: StationProfile['fees']) => ({ fees });
  const own = (await prov.fees()).map((f) => ({
    service: f.service,
    fee: formatFen(f.feeFen),
    effectiveFrom: f.effectiveFrom,
  }));
  for (const service of SERVICE_IDS) {
    const days = [
      ...new Set([...real, ...own].filter((f) => f.service === service).map((f) => f.effectiveFrom)),
    ].sort();
    for (const day of days) {
      const want = feeOn(asProfile(real), service, day);
      if (feeOn(asProfile(own), service, day) === want) continue;
      await prov.setFee(service, toFen(want), day, at, 'training');
      own.push({ service, fee: formatFen(toFen(want)), effectiveFrom: day });
    }
  }
}

export function embeddedTrainingCentral(
  opts: { simTimeoutMs?: number; gatewayTimeoutMs?: number } = {},
): TrainingCentralFactory {
  return async ({ dataDir, station, now }) => {
    const platform = await startEmbeddedPlatform(dataDir, {
      now,
      ...(opts.simTimeoutMs !== undefined ? { simTimeoutMs: opts.simTimeoutMs } : {}),
    });
    try {
      const pem = loadOrCreateStationKey(dataDir)
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString();
      const openingVoucher = await provisionDemoStation(platform, {
        institutionNo: station.institutionNo,
        name: station.name,
        holder: station.holder.name,
        dataDir,
        privateKeyPem: pem,
        ...(station.greenCardMasked ? { greenCardMasked: station.greenCardMasked } : {}),
      });
      if (station.fees)
        await followFees(platform.store.provisioning, station.fees, platform.now().toISOString());
      const gateway = new PlatformGateway({
        url: platform.url,
        institutionNo: station.institutionNo,
        privateKeyPem: pem,
        timeoutMs: opts.gatewayTimeoutMs ?? 10_000,
        demo: true,
      });
      const prov = platform.store.provisioning;
      return {
        gateway,
        openingVoucher,
        async enrol(t) {
          const doc = trainingDocumentNo(t.realOperatorId);
          const file = await prov.stationFile(station.institutionNo);
          if (file?.people.some((p) => p.authorisations.some((a) => a.documentNo === doc))) return;
          const at = platform.now().toISOString();
          const person = await prov.addDelegate(
            station.institutionNo,
            { name: t.name.slice(0, 32), idMasked: '0000**********0000' },
            { documentNo: doc, scope: t.scope, validFrom: SINCE, validTo: UNTIL },
            at,
            'training',
          );
          await recordTrainings(
            prov,
            person.id,
            TRAINING_SUBJECTS,
            { trainedOn: SINCE, trainer: '练习模式' },
            at,
            'training',
          );
        },
        async close() {
          gateway.close();
          await platform.close();
        },
      };
    } catch (e) {
      await platform.close();
      throw e;
    }
  };
}
