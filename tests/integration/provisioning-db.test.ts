// Provisioning's tables attacked directly with SQL, around the store, on both engines: history
// is append-only (training, fees, people, agreements, fault steps), a used activation code stays
// used, a revoked certificate stays revoked, a station's key changes only by binding a
// certificate, and a fault cannot skip or undo a step.
import crypto from 'node:crypto';
import { describe, it } from 'vitest';
import type { StoreEngine } from '../../platform/store/types';
import { ENGINES, expectDbRefusal, pgServerForFile, storeForEachTest } from '../helpers/stores';

const server = pgServerForFile();

const AT = '2026-12-03T02:00:00.000Z';
const NO = '44010077';
const key = (): Uint8Array => {
  const x = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string;
  return Buffer.from(x, 'base64url');
};

describe.each(ENGINES)('provisioning tables on %s refuse direct tampering', (engine: StoreEngine) => {
  const store = storeForEachTest(engine, server, async (store) => {
    const p = store.provisioning;
    await p.createStation({
      institutionNo: NO,
      name: '测试站',
      type: 'village',
      address: '某村',
      branchCode: 'B1',
      openingDate: '2026-12-01',
      holderName: '李经营',
      holderIdMasked: '4401**********1234',
      agreement: {
        startDay: '2026-12-01',
        endDay: '2027-11-30',
        depositFen: 200_000,
        depositReceiptNo: 'R1',
      },
      services: ['water'],
      sealedPublicKey: key(),
      at: AT,
      by: 'admin',
    });
    const holder = (await p.stationFile(NO))!.people[0]!;
    await p.recordTraining(
      holder.id,
      { subject: 'operation', trainedOn: '2026-12-02', trainer: '王' },
      AT,
      'admin',
    );
    await p.setFee('gas', 50, '2026-12-04', AT, 'admin');
    await p.issueActivationCode({
      codeHash: 'a'.repeat(64),
      institutionNo: NO,
      issuedAt: AT,
      expiresAt: '2026-12-10T00:00:00.000Z',
      issuedBy: 'admin',
    });
    await p.activate(
      'a'.repeat(64),
      NO,
      { serial: 'YZ0000000000000001', publicKey: key(), issuedAt: AT, expiresAt: '2027-12-03T00:00:00.000Z' },
      AT,
    );
    await p.revokeCertificate('YZ0000000000000001', '丢失', AT, 'admin');
    await p.moveFault({
      institutionNo: NO,
      faultRef: `${AT}|printer`,
      status: 'handled',
      note: '已处理',
      at: AT,
      by: 'sup',
    });
  });

  const refused = (sql: string, params: unknown[] = []) => expectDbRefusal(store(), sql, params);

  it('PPL-2 a training record cannot be changed, deleted or replaced', async () => {
    await refused(`UPDATE prov_trainings SET trained_on = '2020-01-01'`);
    await refused(`DELETE FROM prov_trainings`);
    if (engine === 'sqlite')
      await refused(
        `INSERT OR REPLACE INTO prov_trainings (id, person_id, subject, trained_on, trainer, recorded_at, recorded_by)
         VALUES (1, 1, 'gas', '2026-12-02', '假', $1, 'x')`,
        [AT],
      );
    else await refused(`TRUNCATE prov_trainings CASCADE`);
  });

  it('SRV-4 the fee schedule is append-only: a fee cannot be rewritten in place', async () => {
    await refused(`UPDATE prov_fees SET fee_fen = 9900`);
    await refused(`DELETE FROM prov_fees`);
    await refused(
      `INSERT INTO prov_fees (service, fee_fen, effective_from, set_at, set_by) VALUES ('gas', -1, '2026-12-05', $1, 'x')`,
      [AT],
    );
    if (engine === 'sqlite')
      await refused(
        `INSERT OR REPLACE INTO prov_fees (id, service, fee_fen, effective_from, set_at, set_by) VALUES (1, 'gas', 0, '2026-12-04', $1, 'x')`,
        [AT],
      );
  });

  it('PPL-3 PPL-4 people and agreements are history: no edits, no second holder', async () => {
    await refused(`UPDATE prov_people SET name = '张冒充'`);
    await refused(`DELETE FROM prov_people`);
    await refused(
      `INSERT INTO prov_people (institution_no, role, name, id_masked, created_at, created_by) VALUES ($1, 'holder', '二号', '1234**5678', $2, 'x')`,
      [NO, AT],
    );
    await refused(`UPDATE prov_agreements SET end_day = '2099-12-31'`);
    await refused(`UPDATE prov_stations SET branch_code = 'OTHER'`);
    await refused(`UPDATE prov_stations SET profile_version = 1`);
  });

  it('PPL-5 a used activation code stays used; a revoked certificate stays revoked; a station key is swapped only by binding a certificate', async () => {
    await refused(`UPDATE prov_activation_codes SET used_at = NULL`);
    await refused(`UPDATE prov_certificates SET revoked_at = NULL, revoked_by = NULL`);
    await refused(`UPDATE prov_certificates SET expires_at = '2099-01-01T00:00:00.000Z'`);
    await refused(`DELETE FROM prov_certificates`);
    await refused(`UPDATE stations SET public_key = $1 WHERE institution_no = $2`, [Buffer.from(key()), NO]);
  });

  it('MON-3 a fault step cannot be skipped, undone or rewritten', async () => {
    const ref = `${AT}|printer`;
    await refused(`UPDATE prov_fault_events SET status = 'closed'`);
    await refused(`DELETE FROM prov_fault_events`);
    await refused(
      `INSERT INTO prov_fault_events (institution_no, fault_ref, status, note, at, by_user) VALUES ($1, $2, 'handled', '再处理', $3, 'x')`,
      [NO, ref, AT],
    );
    await refused(
      `INSERT INTO prov_fault_events (institution_no, fault_ref, status, note, at, by_user) VALUES ($1, $2, 'closed', '跳过', $3, 'x')`,
      [NO, `${AT}|network`, AT],
    );
  });
});
