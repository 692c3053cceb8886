// Provisioning and supervision in the platform (issue 11), through the office's HTTP API and
// the station API, on each store engine; the station's side of the signed profile with it.
// Long on purpose (about 700 lines): every case runs on both store engines through one
// describe.each and the throwaway PostgreSQL cluster started once for the file (helpers/office-engines).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformRefusal } from '../../backend/gateway/platform-gateway';
import { ProfileSync } from '../../backend/services/profile-sync';
import {
  activate,
  ProfileKeeper,
  ProfileRefused,
  verifyProfile,
} from '../../backend/services/station-profile';
import { buildProfile, signProfile } from '../../platform/provisioning/profile';
import { feeOn, operatorAdmitted, operatorMay, trainedFor } from '../../shared/station-profile';
import { ConsoleClient, userClient } from '../helpers/office';
import { officeEngines, officeForEachTest, usePgServer } from '../helpers/office-engines';

usePgServer();

type Err = { error: { code: string; message: string } };
const NO = '44010099';

const newStation = {
  institutionNo: NO,
  name: '天河报刊亭',
  type: 'newsstand',
  address: '广州市天河区体育东路 1 号',
  branchCode: 'GZ-TH01',
  holderName: '李经营',
  holderId: '44010619800101123X',
  openingDate: '2026-12-01',
  agreementStart: '2026-12-01',
  agreementEnd: '2027-11-30',
  deposit: '2000.00',
  depositReceiptNo: 'BZJ-0001',
  services: ['water', 'electricity', 'gas', 'telephone'],
};

function stationKeys() {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

describe.each(officeEngines())('provisioning on %s', (engine, opener) => {
  let admin: ConsoleClient;
  let dir: string;
  const office = officeForEachTest(engine, opener, async (office) => {
    admin = new ConsoleClient(office);
    await admin.login(office.admin.username, office.admin.password);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-prov-'));
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Moves the clock; the console's session would have expired, so the admin logs in again. */
  const clock = async (iso: string) => {
    office().setNow(iso);
    admin = new ConsoleClient(office());
    await admin.login(office().admin.username, office().admin.password);
  };
  const provision = async () => {
    const r = await admin.post('/office/stations', newStation);
    expect(r.status, r.text).toBe(201);
  };
  const file = async () =>
    (
      await admin.get<{ data: { file: { people: Array<{ id: number; role: string; idMasked: string }> } } }>(
        `/office/stations/${NO}`,
      )
    ).json.data.file;
  /** Station NO activated at the office (its clock) with `activationCode` and `privateKeyPem`,
   *  keeping its profile in a new folder `sub` of the test's folder. */
  const activateIn = (sub: string, activationCode: string, privateKeyPem: string) => {
    fs.mkdirSync(path.join(dir, sub));
    return activate({
      url: office().url,
      institutionNo: NO,
      activationCode,
      privateKeyPem,
      keeper: new ProfileKeeper(path.join(dir, sub), NO),
      now: office().now(),
    });
  };
  const activateStation = async () => {
    const code = (await admin.post<{ data: { code: string } }>(`/office/stations/${NO}/activation-code`)).json
      .data.code;
    const keys = stationKeys();
    const keeper = new ProfileKeeper(dir, NO);
    const out = await activate({
      url: office().url,
      institutionNo: NO,
      activationCode: code,
      privateKeyPem: keys.privateKeyPem,
      keeper,
      now: office().now(),
    });
    const client = new PlatformClient({
      url: office().url,
      institutionNo: NO,
      privateKeyPem: keys.privateKeyPem,
    });
    return { code, keys, keeper, out, client };
  };

  /** The station's signed counts upload (the monitor's API), signed with the station's key. */
  const uploadCounts = (keys: { privateKeyPem: string }, upload: object) => {
    const body = JSON.stringify(upload);
    return fetch(`${office().url}/v1/stations/${NO}/counts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-yizhan-signature': crypto
          .sign(null, Buffer.from(body), crypto.createPrivateKey(keys.privateKeyPem))
          .toString('base64'),
      },
      body,
    });
  };

  it('PPL-4 an admin provisions a station: holder with the ID masked, the one-year agreement and deposit, services; nobody is trained', async () => {
    await provision();
    const f = await file();
    expect(f.people).toHaveLength(1);
    expect(f.people[0]).toMatchObject({ role: 'holder', idMasked: '4401**********123X' });
    const raw = JSON.stringify(await office().store.provisioning.stationFile(NO));
    expect(raw).not.toContain('44010619800101123X');
    const again = await admin.post<Err>('/office/stations', newStation);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('STATION_EXISTS');
    const { out } = await activateStation();
    expect(out.profile.agreement).toEqual({
      startDay: '2026-12-01',
      endDay: '2027-11-30',
      deposit: '2000.00',
      depositReceiptNo: 'BZJ-0001',
    });
    expect(out.profile.operators[0]!.training).toEqual({});
    expect(trainedFor(out.profile.operators[0]!, 'electricity', '2026-12-03')).toBe(false);
  });

  it('bad input is a coded 400 and writes nothing; a supervisor cannot provision', async () => {
    for (const bad of [
      { ...newStation, holderId: '123' },
      { ...newStation, deposit: '-5' },
      { ...newStation, agreementEnd: '2026-01-01' },
      { ...newStation, type: 'castle' },
      { ...newStation, institutionNo: '../x' },
    ]) {
      const r = await admin.post<Err>('/office/stations', bad);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    }
    expect(await office().store.provisioning.listStations()).toEqual([]);
    const sup = await userClient(office(), { username: 'sup1', role: 'supervisor' });
    const r = await sup.post<Err>('/office/stations', newStation);
    expect(r.status).toBe(403);
    expect(await office().store.provisioning.listStations()).toEqual([]);
  });

  it('PPL-5 before activation the station signs nothing; the code binds its key once; a second use, an expired code and a revoked certificate are refused; renewal extends', async () => {
    await provision();
    // The sealed key: nobody holds it, and the station API says why.
    const early = new PlatformClient({ url: office().url, institutionNo: NO, ...stationKeys() });
    await expect(early.call('balance', { requestKey: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'NOT_ACTIVATED',
    });

    const { code, client, out } = await activateStation();
    expect(out.certificate.serial).toMatch(/^YZ[0-9A-F]{16}$/);
    expect(Date.parse(out.certificate.expiresAt) - office().now().getTime()).toBe(365 * 24 * 3600_000);
    expect((await client.call('balance', { requestKey: crypto.randomUUID() })).data.balance).toBe('0.00');

    // The same code again (another key): refused, the first key still works.
    const thief = stationKeys();
    await expect(activateIn('x', code, thief.privateKeyPem)).rejects.toMatchObject({
      code: 'ACTIVATION_CODE_INVALID',
    });
    // An expired code.
    const late = (await admin.post<{ data: { code: string } }>(`/office/stations/${NO}/activation-code`)).json
      .data.code;
    await clock('2026-12-11T02:00:00Z');
    await expect(activateIn('y', late, thief.privateKeyPem)).rejects.toMatchObject({
      code: 'ACTIVATION_CODE_INVALID',
    });

    // Renewal: a new serial, a year from now; the station's key is unchanged.
    const renewed = await admin.post<{ data: { serial: string; expiresAt: string } }>(
      `/office/stations/${NO}/certificate/renew`,
    );
    expect(renewed.status).toBe(200);
    expect(renewed.json.data.serial).not.toBe(out.certificate.serial);
    await client.call('balance', { requestKey: crypto.randomUUID() });

    const revoked = await admin.post(`/office/stations/${NO}/certificate/revoke`, { reason: '设备丢失' });
    expect(revoked.status).toBe(200);
    await expect(client.call('balance', { requestKey: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'CERTIFICATE_REVOKED',
    });
  });

  it('PPL-5 a retry after a lost activation reply — the same code and the same key — gets the same certificate; another key, or after a revocation, is refused', async () => {
    await provision();
    const { code, keys, out } = await activateStation();
    const again = (privateKeyPem: string, sub: string) => activateIn(sub, code, privateKeyPem);
    const before = await office().store.provisioning.stationFile(NO);
    const replay = await again(keys.privateKeyPem, 'retry');
    expect(replay.certificate).toEqual(out.certificate);
    expect(replay.profile.institutionNo).toBe(NO);
    // Nothing was written: one certificate, the code used once.
    expect(await office().store.provisioning.stationFile(NO)).toEqual(before);
    await expect(again(stationKeys().privateKeyPem, 'thief')).rejects.toMatchObject({
      code: 'ACTIVATION_CODE_INVALID',
    });
    expect(
      (await admin.post(`/office/stations/${NO}/certificate/revoke`, { reason: '设备丢失' })).status,
    ).toBe(200);
    await expect(again(keys.privateKeyPem, 'after-revoke')).rejects.toMatchObject({
      code: 'ACTIVATION_CODE_INVALID',
    });
  });

  it('PPL-5 a certificate past its expiry signs nothing — neither a payment nor an upload', async () => {
    await provision();
    const { client, keys } = await activateStation();
    office().advance(366 * 24 * 3600_000);
    await expect(client.call('balance', { requestKey: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'CERTIFICATE_EXPIRED',
    });
    const up = await uploadCounts(keys, {
      institutionNo: NO,
      seq: 1,
      sentAt: '2027-12-03T10:00:00+08:00',
      days: [{ day: '2027-12-02', count: 1 }],
    });
    expect(up.status).toBe(403);
    expect(((await up.json()) as Err).error.code).toBe('CERTIFICATE_EXPIRED');
  });

  it('PPL-1 PPL-2 training recorded in the platform opens that service in the next profile', async () => {
    await provision();
    const { client, keeper } = await activateStation();
    const holder = (await file()).people[0]!;
    for (const subject of ['operation', 'electricity'])
      expect(
        (
          await admin.post(`/office/stations/${NO}/training`, {
            personId: String(holder.id),
            subject,
            trainedOn: '2026-12-02',
            trainer: '王培训',
          })
        ).status,
      ).toBe(200);
    const next = keeper.accept(
      (await client.call('profile', { requestKey: crypto.randomUUID() })).data,
      office().now(),
    );
    const op = next.operators[0]!;
    expect(trainedFor(op, 'electricity', '2026-12-03')).toBe(true);
    expect(trainedFor(op, 'water', '2026-12-03')).toBe(false);
    // A person of another station cannot be trained through this one's page.
    const r = await admin.post<Err>(`/office/stations/${NO}/training`, {
      personId: '999',
      subject: 'gas',
      trainedOn: '2026-12-02',
      trainer: '王',
    });
    expect(r.json.error.code).toBe('UNKNOWN_PERSON');
  });

  it('PPL-3 an authorised person is in the profile while valid, with their scope; an expired or revoked authorisation leaves the next profile', async () => {
    await provision();
    const { client, keeper } = await activateStation();
    const add = await admin.post<{ data: { personId: number } }>(`/office/stations/${NO}/delegates`, {
      name: '李家属',
      idNumber: '440106199001011234',
      documentNo: 'SQ-2026-01',
      scope: ['pay', 'topup'],
      validFrom: '2026-12-01',
      validTo: '2026-12-10',
    });
    expect(add.status).toBe(200);
    const fetchProfile = async () =>
      keeper.accept((await client.call('profile', { requestKey: crypto.randomUUID() })).data, office().now());
    let p = await fetchProfile();
    const d = p.operators.find((o) => o.role === 'delegate')!;
    expect(d.name).toBe('李家属');
    expect(operatorMay(d, 'pay', '2026-12-03')).toBe(true);
    expect(operatorMay(d, 'reverse', '2026-12-03')).toBe(false);
    expect(operatorAdmitted(d, '2026-12-11')).toBe(false);
    await clock('2026-12-11T02:00:00Z');
    p = await fetchProfile();
    expect(p.operators.map((o) => o.role)).toEqual(['holder']);

    await clock('2026-12-11T03:00:00Z');
    const keeper2 = new ProfileKeeper(path.join(dir), NO);
    const add2 = await admin.post<{ data: { personId: number } }>(`/office/stations/${NO}/delegates`, {
      name: '王帮手',
      idNumber: '440106199001015678',
      documentNo: 'SQ-2026-02',
      scope: ['pay'],
      validFrom: '2026-12-11',
      validTo: '2027-06-30',
    });
    const authId = (await office().store.provisioning.stationFile(NO))!.people.find(
      (x) => x.id === add2.json.data.personId,
    )!.authorisations[0]!.id;
    expect((await admin.post(`/office/stations/${NO}/authorisations/${authId}/revoke`)).status).toBe(200);
    const after = keeper2.accept(
      (await client.call('profile', { requestKey: crypto.randomUUID() })).data,
      office().now(),
    );
    expect(after.operators.some((o) => o.name === '王帮手')).toBe(false);
  });

  it('SRV-4 a fee change takes effect on its date; without a schedule every fee is 0.00; the past cannot be rewritten', async () => {
    await provision();
    const { client, keeper } = await activateStation();
    expect(feeOn(keeper.profile!, 'gas', '2026-12-03')).toBe('0.00');
    expect(
      (await admin.post('/office/fees', { service: 'gas', fee: '0.50', effectiveFrom: '2026-12-04' })).status,
    ).toBe(200);
    const past = await admin.post<Err>('/office/fees', {
      service: 'gas',
      fee: '9.00',
      effectiveFrom: '2026-12-01',
    });
    expect(past.status).toBe(400);
    const p = keeper.accept(
      (await client.call('profile', { requestKey: crypto.randomUUID() })).data,
      office().now(),
    );
    expect(feeOn(p, 'gas', '2026-12-03')).toBe('0.00');
    expect(feeOn(p, 'gas', '2026-12-04')).toBe('0.50');
    expect(feeOn(p, 'water', '2026-12-04')).toBe('0.00');
  });

  it('a profile signed by another key, for another station, replayed or edited is refused by the station; the last good one is kept', async () => {
    await provision();
    const { client, keeper } = await activateStation();
    const good = keeper.profile!;
    office().advance(60_000);
    const fresh = (await client.call('profile', { requestKey: crypto.randomUUID() })).data;
    // Another key signs a profile that names the pinned key.
    const other = crypto.generateKeyPairSync('ed25519').privateKey;
    const forged = signProfile({ ...good, version: good.version + 5, operators: [] }, other);
    expect(() => keeper.accept(forged, office().now())).toThrow(ProfileRefused);
    expect(() =>
      keeper.accept({ ...fresh, profile: fresh.profile.replace('李经营', '张冒充') }, office().now()),
    ).toThrow(/bad_signature/);
    // Replayed: the same profile again is not newer.
    keeper.accept(fresh, office().now());
    expect(() => keeper.accept(fresh, office().now())).toThrow(/not_newer/);
    // Kept across a restart; the file edited by hand is not trusted.
    expect(new ProfileKeeper(dir, NO).profile?.issuedAt).toBe(JSON.parse(fresh.profile).issuedAt);
    const f = path.join(dir, 'station-profile.json');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('李经营', '张冒充'));
    expect(new ProfileKeeper(dir, NO).profile).toBeUndefined();
    expect(() =>
      verifyProfile(fresh, {
        pinnedKey: good.platformPublicKey,
        institutionNo: 'OTHER001',
        now: office().now(),
      }),
    ).toThrow(/other_station/);
  });

  it('the station fetches its profile on demand; a refusal keeps the last good one and says why', async () => {
    await provision();
    const { keys } = await activateStation();
    const sync = new ProfileSync({
      dataDir: dir,
      institutionNo: NO,
      client: new PlatformClient({ url: office().url, institutionNo: NO, privateKeyPem: keys.privateKeyPem }),
      now: () => office().now(),
    });
    const before = sync.status().profile!.version;
    await admin.post('/office/fees', { service: 'water', fee: '0.20', effectiveFrom: '2026-12-05' });
    const s1 = await sync.refresh();
    expect(s1.lastOutcome).toBe('ok');
    expect(s1.profile!.version).toBeGreaterThan(before);
    expect(feeOn(s1.profile!, 'water', '2026-12-05')).toBe('0.20');
    await admin.post(`/office/stations/${NO}/certificate/revoke`, { reason: '测试' });
    const s2 = await sync.refresh();
    expect(s2).toMatchObject({ lastOutcome: 'refused', lastProblem: 'CERTIFICATE_REVOKED' });
    expect(s2.profile!.version).toBe(s1.profile!.version);
  });

  it('MON-1 a supervisor sees the station balance, top-ups and weekly figures from the central journal and exports the list', async () => {
    await provision();
    const { client } = await activateStation();
    const clerk = await userClient(office(), { username: 'clerk1', role: 'clerk', branchCode: 'GZ-TH01' });
    const dep = await clerk.get<{ data: { requestKey: string } }>(`/office/deposit?no=${NO}`);
    expect(
      (
        await clerk.post('/office/deposits', {
          institutionNo: NO,
          amount: '500.00',
          depositor: '李经营',
          requestKey: dep.json.data.requestKey,
        })
      ).status,
    ).toBe(201);
    const inq = await client.call('inquire', {
      requestKey: crypto.randomUUID(),
      service: 'water',
      accountNo: '3301234567',
    });
    const bill = (inq.data as { bill: { billId: string; amount: string } }).bill;
    await client.call('pay', {
      requestKey: crypto.randomUUID(),
      service: 'water',
      accountNo: '3301234567',
      billId: bill.billId,
      amount: bill.amount,
    });
    const sup = await userClient(office(), { username: 'sup1', role: 'supervisor' });
    const v = await sup.get<{
      data: {
        balanceFen: number;
        topUps: unknown[];
        weekly: Array<{ period: string; count: number; amountFen: number }>;
      };
    }>(`/office/stations/${NO}`);
    expect(v.status).toBe(200);
    expect(v.json.data.topUps).toHaveLength(1);
    expect(v.json.data.weekly[0]).toMatchObject({ period: '2026-11-30', count: 1 });
    expect(v.json.data.balanceFen).toBe(50_000 - v.json.data.weekly[0]!.amountFen);
    const csv = await sup.get(`/office/stations.csv?type=newsstand`);
    expect(csv.text).toContain(NO);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const none = await sup.get(`/office/stations.csv?type=village`);
    expect(none.text).not.toContain(NO);
    const xlsx = await sup.request('GET', '/office/stations.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('MON-2 a provisioned station is counted from the central journal (a reversal cancels its payment); uploads that disagree are flagged', async () => {
    await provision();
    const { client } = await activateStation();
    await office().store.accounts.deposit({
      institutionNo: NO,
      amountFen: 100_000,
      depositor: '李',
      branchId: 'B',
      clerk: 'c',
      requestKey: 'deposit-key-0001',
      requestSha256: 'x'.repeat(64),
      at: office().now().toISOString(),
    });
    const keys: string[] = [];
    for (const accountNo of ['3301234567', '3301234568']) {
      const inq = await client.call('inquire', {
        requestKey: crypto.randomUUID(),
        service: 'water',
        accountNo,
      });
      const bill = (inq.data as { bill: { billId: string; amount: string } }).bill;
      const key = crypto.randomUUID();
      keys.push(key);
      await client.call('pay', {
        requestKey: key,
        service: 'water',
        accountNo,
        billId: bill.billId,
        amount: bill.amount,
      });
    }
    await client.call('reverse_payment', {
      requestKey: crypto.randomUUID(),
      paymentKey: keys[1]!,
      reason: '客户要求',
    });
    // The station claims 25 transactions yesterday: its own account, not MON-2's.
    await office().store.stations.applyUpload(NO, {
      seq: 1,
      bodySha256: 'b'.repeat(64),
      sentAt: '2026-12-03T01:00:00Z',
      receivedAt: '2026-12-03T01:00:01Z',
      days: [{ day: '2026-12-02', count: 25 }],
    });
    const months = await office().store.stations.stationMonths(NO);
    expect(months!.months).toEqual([['2026-12', 1]]);
    const v = await admin.get<{
      data: { checks: Array<{ month: string; central: number; uploaded: number }> };
    }>(`/office/stations/${NO}`);
    expect(v.json.data.checks).toEqual([{ month: '2026-12', central: 1, uploaded: 25 }]);
  });

  it('MON-3 a fault goes received → handled → closed with notes; the wrong order is refused; every step is audited', async () => {
    await provision();
    await office().store.stations.applyUpload(NO, {
      seq: 1,
      bodySha256: 'a'.repeat(64),
      sentAt: '2026-12-02T12:00:00Z',
      receivedAt: '2026-12-02T12:00:01Z',
      days: [
        {
          day: '2026-12-02',
          count: 3,
          faults: [{ kind: 'printer', at: '2026-12-02T10:00:00+08:00', detail: '打印机缺纸' }],
        },
      ],
    });
    const sup = await userClient(office(), { username: 'sup2', role: 'supervisor' });
    const list = await sup.get<{ data: Array<{ ref: string; status: string; overdue: boolean }> }>(
      '/office/faults',
    );
    expect(list.json.data).toHaveLength(1);
    const ref = list.json.data[0]!.ref;
    const bad = await sup.post<Err>('/office/faults/move', {
      institutionNo: NO,
      faultRef: ref,
      status: 'closed',
      note: '直接关闭',
    });
    expect(bad.status).toBe(409);
    expect(bad.json.error.code).toBe('FAULT_TRANSITION');
    expect(
      (
        await sup.post('/office/faults/move', {
          institutionNo: NO,
          faultRef: ref,
          status: 'handled',
          note: '已电话指导换纸',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await sup.post('/office/faults/move', {
          institutionNo: NO,
          faultRef: ref,
          status: 'closed',
          note: '站点确认恢复',
        })
      ).status,
    ).toBe(200);
    expect((await sup.get<{ data: unknown[] }>('/office/faults')).json.data).toHaveLength(0);
    const unknown = await sup.post<Err>('/office/faults/move', {
      institutionNo: NO,
      faultRef: 'x|printer',
      status: 'handled',
      note: 'n',
    });
    expect(unknown.status).toBe(404);
    const audit = await office().store.office.auditLog({ limit: 50, action: 'fault.move' });
    expect(audit.map((a) => a.outcome).sort()).toEqual(['FAULT_TRANSITION', 'NOT_FOUND', 'ok', 'ok']);
  });

  it('the watch lists: agreements and certificates ending within 30 days, stations not activated, takings left unsettled', async () => {
    await provision();
    const w1 = await admin.get<{ data: { notActivated: unknown[]; agreements: unknown[] } }>('/office/watch');
    expect(w1.json.data.notActivated).toHaveLength(1);
    expect(w1.json.data.agreements).toHaveLength(0);
    const { keys } = await activateStation();
    // The station's signed upload of a close with takings still due (PAY-5).
    const up = await uploadCounts(keys, {
      institutionNo: NO,
      seq: 1,
      sentAt: '2026-12-03T10:00:00+08:00',
      days: [{ day: '2026-12-02', count: 2, takingsDue: '350.00' }],
    });
    expect(up.status, await up.text()).toBe(200);
    const w = await admin.get<{ data: { takings: unknown[] } }>('/office/watch');
    expect(w.json.data.takings).toEqual([
      { institutionNo: NO, name: '天河报刊亭', day: '2026-12-02', takingsDue: '350.00' },
    ]);
    await clock('2027-11-15T02:00:00Z');
    const w2 = await admin.get<{
      data: { notActivated: unknown[]; agreements: unknown[]; certificates: unknown[] };
    }>('/office/watch');
    expect(w2.json.data.notActivated).toHaveLength(0);
    expect(w2.json.data.agreements).toHaveLength(1);
    expect(w2.json.data.certificates).toHaveLength(1);
  });

  it('the watch lists: a station whose days stop arriving is listed as unclosed, and with no business for a month as at risk of removal', async () => {
    type Watch = {
      data: {
        unclosed: Array<{ institutionNo: string; lastDay: string | null }>;
        atRisk: Array<{ institutionNo: string; status: string; why: string }>;
      };
    };
    await provision();
    const { keys } = await activateStation();
    const upload = async (seq: number, day: string, count: number) => {
      const up = await uploadCounts(keys, {
        institutionNo: NO,
        seq,
        sentAt: `${day}T20:00:00+08:00`,
        days: [{ day, count }],
      });
      expect(up.status, await up.text()).toBe(200);
    };
    // The station closes yesterday (2026-12-02): nothing owed, nothing at risk yet.
    await upload(1, '2026-12-02', 25);
    const w0 = await admin.get<Watch>('/office/watch');
    expect(w0.json.data.unclosed).toEqual([]);
    expect(w0.json.data.atRisk.map((s) => s.institutionNo)).not.toContain(NO);
    // Five weeks later nothing more has arrived: its days are owed, and a month without
    // business puts it at risk of removal.
    await clock('2027-01-08T02:00:00Z');
    const w = await admin.get<Watch>('/office/watch');
    expect(w.json.data.unclosed).toEqual([
      expect.objectContaining({ institutionNo: NO, lastDay: '2026-12-02' }),
    ]);
    const risk = w.json.data.atRisk.find((s) => s.institutionNo === NO);
    expect(risk, JSON.stringify(w.json.data.atRisk)).toBeDefined();
    expect(risk!.status).not.toBe('ok');
    expect(risk!.why).not.toBe('');
    // The HTML page lists it under both headings.
    const page = await admin.request('GET', '/office/watch', { headers: { accept: 'text/html' } });
    expect(page.text.split(NO).length - 1).toBeGreaterThanOrEqual(2);
  });
});

describe('the profile itself', () => {
  it('SRV-4 feeOn takes the latest entry effective on the day', () => {
    const fees = [
      { service: 'gas' as const, fee: '1.00', effectiveFrom: '2026-01-01' },
      { service: 'gas' as const, fee: '0.50', effectiveFrom: '2026-12-04' },
    ];
    expect(feeOn({ fees }, 'gas', '2025-12-31')).toBe('0.00');
    expect(feeOn({ fees }, 'gas', '2026-12-03')).toBe('1.00');
    expect(feeOn({ fees }, 'gas', '2026-12-04')).toBe('0.50');
  });

  it('buildProfile leaves out a delegate whose authorisation is over', () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const base = {
      station: {
        institutionNo: NO,
        name: 'n',
        type: 'other' as const,
        address: 'a',
        branchCode: 'b',
        openingDate: '2026-01-01',
        createdAt: '',
        createdBy: '',
        profileVersion: 3,
      },
      agreement: null,
      services: [],
      certificate: null,
      codes: [],
    };
    const person = (role: 'holder' | 'delegate', id: number, validTo: string) => ({
      id,
      institutionNo: NO,
      role,
      name: `p${id}`,
      idMasked: '1234**5678',
      createdAt: '',
      createdBy: '',
      trainings: [],
      authorisations:
        role === 'holder'
          ? []
          : [
              {
                id,
                personId: id,
                documentNo: 'd',
                scope: ['pay' as const],
                validFrom: '2026-01-01',
                validTo,
                recordedAt: '',
                recordedBy: '',
                revokedAt: null,
                revokedBy: null,
              },
            ],
    });
    const p = buildProfile(
      {
        ...base,
        people: [
          person('holder', 1, ''),
          person('delegate', 2, '2026-12-02'),
          person('delegate', 3, '2026-12-03'),
        ],
      },
      [],
      { now: new Date('2026-12-03T02:00:00Z'), platformKey: key },
    );
    expect(p.operators.map((o) => o.id)).toEqual(['P1', 'P3']);
    expect(p.version).toBe(3);
  });
});

void PlatformRefusal;
