// The station enforces what the platform grants (issue 12): a revoked or expired certificate —
// the platform refuses new business, the counter says why, and the day is still closed; a
// service the platform closed is not offered.
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../../backend/backend';
import { key, ok, payBill, refused, type TestBackend, topUp } from '../helpers/backend';
import { backendForEachTest } from '../helpers/clients';

let b: TestBackend;
const clock = backendForEachTest({ set: (fresh) => (b = fresh), get: () => b });

const platformOf = () => b.platform!.platform;

describe('what the platform grants', () => {
  it('PPL-5: with its certificate revoked the station takes no new business (CERTIFICATE_REFUSED), yet closes its day', async () => {
    await topUp(b, '500');
    await payBill(b, 'water', '31000001');
    const cert = await platformOf().store.provisioning.currentCertificate(DEMO_STATION.institutionNo);
    await platformOf().provisioning.revoke(cert!.serial, '测试吊销', 'admin');
    const r = refused(
      await b.call('bill.inquire', { service: 'water', account: '31000002' }),
      'CERTIFICATE_REFUSED',
    );
    expect(r.message).toContain('安全证书');
    // What was taken is still counted and closed: the central balance typed by the operator.
    const first = ok(await b.call('day.count', { method: 'total', total: '0.00' }));
    const c = ok(await b.call('day.count', { method: 'total', total: first.cash.expected }));
    const float = ok(await b.call('float.balance', undefined));
    const z = ok(
      await b.call('day.close', {
        countId: c.count.countId,
        central: { source: 'operator', balance: float.balance },
        idempotencyKey: key('close'),
      }),
    );
    expect(z.zNo).toBe(1);
  });

  it('PPL-4 PPL-5: the agreement ending and the certificate expiring are on station.get for the counter to warn of', async () => {
    expect(ok(await b.call('station.get', undefined)).warnings).toEqual([]);
    clock.advance(340 * 24 * 3600_000);
    const kinds = ok(await b.call('station.get', undefined)).warnings.map((w: { kind: string }) => w.kind);
    expect(kinds).toEqual(expect.arrayContaining(['agreement', 'certificate', 'profile']));
  });

  it('a service the platform closed for the station is not offered (SERVICE_NOT_OPEN)', async () => {
    await platformOf().store.provisioning.setService(
      DEMO_STATION.institutionNo,
      'gas',
      false,
      clock.now().toISOString(),
      'admin',
    );
    clock.advance(1000);
    ok(await b.call('profile.refresh', undefined));
    refused(await b.call('bill.inquire', { service: 'gas', account: '31000003' }), 'SERVICE_NOT_OPEN');
    const cat = ok(await b.call('catalogue.list', undefined));
    expect(cat.items.find((i: { id: string }) => i.id === 'gas').trained).toBe(false);
  });
});
