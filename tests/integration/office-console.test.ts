// The branch console through HTTP: a clerk finds a station, deposits cash (PAY-2) and gets a
// numbered voucher; double submits, reprints and the day list for the cash handover; Green
// Card bindings (PAY-3); bad input refused with a code and nothing written — on each engine.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PlatformGateway } from '../../backend/gateway/platform-gateway';
import { fen } from '../../shared/money';
import { canonicalVoucherNo, maskCard, parseCardNumber } from '../../platform/office/cards';
import { amountInWords } from '../../platform/office/amount-words';
import {
  ConsoleClient,
  depositForm,
  OFFICE_TEST_ADMIN_TOKEN,
  registerStation,
  userClient,
  type ErrorReply,
} from '../helpers/office';
import { officeEngines, officeForEachTest, usePgServer } from '../helpers/office-engines';
import { rawSql } from '../helpers/stores';

interface VoucherJson {
  voucherNo: string;
  institutionNo: string;
  amount: string;
  depositor: string;
  branch: string;
  clerk: string;
  reprints: number;
}
type DepositReply = { ok: true; data: { voucher: VoucherJson; replay: boolean } };

usePgServer();

/** A Luhn-valid 19-digit card number (postal BIN 621799). */
const CARD = '6217991234567890124';

describe.each(officeEngines())('the branch console on %s', (engine, opener) => {
  let clerk: ConsoleClient;
  const office = officeForEachTest(engine, opener, async (office) => {
    await registerStation(office, '44010001', '天河路便民站');
    await registerStation(office, '44010002', '体育西便民站', null);
    clerk = await userClient(office, {
      username: 'clerk1',
      displayName: '陈柜员',
      role: 'clerk',
      branchCode: 'GZ001',
    });
  });

  /** A request as the browser's page (HTML, not JSON). */
  const asPage = { headers: { accept: 'text/html' } };

  const deposit = async (c: ConsoleClient, no: string, amount: string, depositor = '张三') =>
    c.post<DepositReply>('/office/deposits', await depositForm(c, no, amount, depositor));

  it('PAY-2: the clerk finds the station by 机构号, deposits 500.00, the central account is credited at once and a numbered voucher issued', async () => {
    const look = await clerk.get<{ data: { institutionNo: string; name: string; holder: string | null } }>(
      '/office/deposit?no=44010001',
    );
    expect(look.json.data).toMatchObject({
      institutionNo: '44010001',
      name: '天河路便民站',
      holder: '李经营',
    });
    // A station registered without its holder says so instead of showing nothing.
    const page = await clerk.request('GET', '/office/deposit?no=44010002', asPage);
    expect(page.text).toContain('（平台未登记）');
    const r = await deposit(clerk, '44010001', '500.00', '王芳');
    expect(r.status).toBe(201);
    const v = r.json.data.voucher;
    expect(v).toMatchObject({
      institutionNo: '44010001',
      amount: '500.00',
      depositor: '王芳',
      branch: 'GZ001',
      clerk: 'clerk1',
      reprints: 0,
    });
    expect(v.voucherNo).toMatch(/^CK\d{10}$/);
    expect(r.json.data.replay).toBe(false);
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(50_000);
    const journal = await office().store.accounts.statement('44010001');
    expect(journal).toEqual([
      expect.objectContaining({ kind: 'deposit', amountFen: 50_000, ref: v.voucherNo }),
    ]);
  });

  it('PAY-2: any number of deposits a day, each its own voucher number', async () => {
    const nos = [];
    for (const amount of ['100.00', '0.01', '2500.50'])
      nos.push((await deposit(clerk, '44010001', amount)).json.data.voucher.voucherNo);
    expect(new Set(nos).size).toBe(3);
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(10_000 + 1 + 250_050);
  });

  it('a double submit of one deposit form issues one voucher and credits once; the same form with another amount is refused', async () => {
    const body = await depositForm(clerk, '44010001', '300.00');
    const [a, b] = await Promise.all([
      clerk.post<DepositReply>('/office/deposits', body),
      clerk.post<DepositReply>('/office/deposits', body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json.data.voucher.voucherNo).toBe(b.json.data.voucher.voucherNo);
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(30_000);
    const other = await clerk.post('/office/deposits', { ...body, amount: '301.00' });
    expect(other.status).toBe(409);
    expect((other.json as unknown as ErrorReply).error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(30_000);
  });

  it('bad input is a coded 4xx with a Chinese message and writes nothing', async () => {
    const look = await clerk.get<{ data: { requestKey: string } }>('/office/deposit?no=44010001');
    const good = {
      institutionNo: '44010001',
      amount: '10.00',
      depositor: '张三',
      requestKey: look.json.data.requestKey,
    };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...good, amount: '10.001' }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: '-10' }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: '1e3' }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: '１０' }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: 10 }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: '0' }, 400, 'INVALID_INPUT'],
      [{ ...good, amount: '50000.01' }, 400, 'INVALID_INPUT'],
      [{ ...good, depositor: '' }, 400, 'INVALID_INPUT'],
      [{ ...good, depositor: '张\u0000三' }, 400, 'INVALID_INPUT'],
      [{ ...good, depositor: '长'.repeat(33) }, 400, 'INVALID_INPUT'],
      [{ ...good, requestKey: 'short' }, 400, 'INVALID_INPUT'],
      [{ ...good, institutionNo: "4401'; DROP TABLE" }, 400, 'INVALID_INPUT'],
      [{ ...good, institutionNo: '99999999' }, 404, 'UNKNOWN_STATION'],
    ];
    for (const [body, status, code] of cases) {
      const r = await clerk.post('/office/deposits', body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), status]);
      const e = (r.json as unknown as ErrorReply).error;
      expect(e.code).toBe(code);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const notJson = await clerk.request('POST', '/office/deposits', {
      headers: { 'content-type': 'text/plain' },
      raw: 'amount=10',
    });
    expect(notJson.status).toBe(415);
    expect((notJson.json as unknown as ErrorReply).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(0);
    expect(await office().store.accounts.statement('44010001')).toEqual([]);
    const unknown = await clerk.get('/office/deposit?no=99999999');
    expect((unknown.json as unknown as ErrorReply).error.code).toBe('UNKNOWN_STATION');
  });

  it('a reprint is marked 重印 with its count; another branch cannot reprint it; a supervisor cannot either', async () => {
    const v = (await deposit(clerk, '44010001', '500.00')).json.data.voucher;
    const r1 = await clerk.post<{ data: { voucher: VoucherJson } }>(
      `/office/vouchers/${v.voucherNo}/reprint`,
    );
    const r2 = await clerk.post<{ data: { voucher: VoucherJson } }>(
      `/office/vouchers/${v.voucherNo.toLowerCase()}/reprint`,
    );
    expect([r1.json.data.voucher.reprints, r2.json.data.voucher.reprints]).toEqual([1, 2]);
    const page = await clerk.request('POST', `/office/vouchers/${v.voucherNo}/reprint`, asPage);
    expect(page.status).toBe(200);
    expect(page.text).toContain('重印（第 3 次）');
    expect(page.text).toContain('人民币伍佰元整');
    const other = await userClient(office(), { username: 'clerk2', role: 'clerk', branchCode: 'GZ999' });
    const refused = await other.post(`/office/vouchers/${v.voucherNo}/reprint`);
    expect((refused.json as unknown as ErrorReply).error.code).toBe('NOT_YOUR_BRANCH');
    const sup = await userClient(office(), { username: 'super1', role: 'supervisor' });
    expect(
      ((await sup.post(`/office/vouchers/${v.voucherNo}/reprint`)).json as unknown as ErrorReply).error.code,
    ).toBe('READ_ONLY_ROLE');
    const missing = await clerk.post('/office/vouchers/CK9999999999/reprint');
    expect((missing.json as unknown as ErrorReply).error.code).toBe('VOUCHER_NOT_FOUND');
    expect((await office().store.accounts.voucher(v.voucherNo))?.reprints).toBe(3);
  });

  it("the day list shows the clerk's deposits of the day with totals, and the branch's total for the cash handover", async () => {
    const clerkB = await userClient(office(), { username: 'clerk3', role: 'clerk', branchCode: 'GZ001' });
    await deposit(clerk, '44010001', '500.00');
    await deposit(clerk, '44010002', '1234.56');
    await deposit(clerkB, '44010001', '100.00');
    const elsewhere = await userClient(office(), { username: 'clerk4', role: 'clerk', branchCode: 'SZ001' });
    await deposit(elsewhere, '44010001', '7.00');
    type Day = {
      data: {
        vouchers: VoucherJson[];
        mine: { count: number; total: string };
        branchTotals: { count: number; total: string };
      };
    };
    const mine = await clerk.get<Day>('/office/day');
    expect(mine.json.data.vouchers.map((v) => v.amount)).toEqual(['500.00', '1234.56']);
    expect(mine.json.data.mine).toEqual({ count: 2, total: '1734.56' });
    expect(mine.json.data.branchTotals).toEqual({ count: 3, total: '1834.56' });
    const branch = await clerk.get<Day>('/office/day?scope=branch');
    expect(branch.json.data.vouchers).toHaveLength(3);
    // The next business day (Asia/Shanghai) starts empty; yesterday's list is kept.
    const today = office().now();
    office().advance(24 * 60 * 60 * 1000);
    expect((await clerk.login('clerk1', clerk.password!)).status).toBe(200); // the old session ran out
    expect((await clerk.get<Day>('/office/day')).json.data.mine).toEqual({ count: 0, total: '0.00' });
    const day = new Date(today.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await clerk.get<Day>(`/office/day?date=${day}`)).json.data.mine.total).toBe('1734.56');
    const future = await clerk.get('/office/day?date=2099-01-01');
    expect((future.json as unknown as ErrorReply).error.code).toBe('INVALID_INPUT');
  });

  it('PAY-3: a Green Card is bound masked (the full number is stored nowhere), unbound, and listed with its transfers', async () => {
    const bad = await clerk.post('/office/cards/bind', {
      institutionNo: '44010001',
      cardNumber: '6217991234567890125',
    });
    expect(bad.status).toBe(422);
    expect((bad.json as unknown as ErrorReply).error.code).toBe('INVALID_CARD_NUMBER');
    const r = await clerk.post<{ data: { cardMasked: string } }>('/office/cards/bind', {
      institutionNo: '44010001',
      cardNumber: '6217 9912 3456 7890 124',
    });
    expect(r.status).toBe(201);
    expect(r.json.data.cardMasked).toBe('621799*********0124');
    const again = await clerk.post('/office/cards/bind', { institutionNo: '44010001', cardNumber: CARD });
    expect((again.json as unknown as ErrorReply).error.code).toBe('CARD_ALREADY_BOUND');
    const dump = JSON.stringify(await rawSql(office().store, 'SELECT * FROM green_cards'));
    expect(dump).toContain('621799*********0124');
    expect(dump).not.toContain('1234567890');
    const view = await clerk.get<{ data: { card: { cardMasked: string } | null; transfers: unknown[] } }>(
      '/office/cards?no=44010001',
    );
    expect(view.json.data.card?.cardMasked).toBe('621799*********0124');
    expect(view.json.data.transfers).toEqual([]);
    const sup = await userClient(office(), { username: 'super2', role: 'supervisor' });
    expect(
      ((await sup.post('/office/cards/unbind', { institutionNo: '44010001' })).json as unknown as ErrorReply)
        .error.code,
    ).toBe('READ_ONLY_ROLE');
    expect((await clerk.post('/office/cards/unbind', { institutionNo: '44010001' })).status).toBe(200);
    expect(await office().store.accounts.greenCard('44010001')).toBeUndefined();
    const twice = await clerk.post('/office/cards/unbind', { institutionNo: '44010001' });
    expect((twice.json as unknown as ErrorReply).error.code).toBe('NO_GREEN_CARD');
  });

  it('PAY-3: the station tops up from the card the clerk bound, through the signed station API; the console lists the transfer with its bank reference', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const reg = await fetch(`${office().url}/v1/stations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OFFICE_TEST_ADMIN_TOKEN}` },
      body: JSON.stringify({
        institutionNo: '44010009',
        name: '珠江新城便民站',
        openingDate: '2026-01-05',
        publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      }),
    });
    expect(reg.status).toBe(201);
    const station = new PlatformGateway({
      url: office().url,
      institutionNo: '44010009',
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      timeoutMs: 30_000,
    });
    const transfer = {
      kind: 'green_card' as const,
      ref: 'BK2026120300017',
      amountFen: fen(30_050),
      institutionNo: '44010009',
    };
    // No card bound yet: the platform refuses and nothing is credited.
    expect(await station.confirmTopUp(transfer)).toMatchObject({ confirmed: false });
    expect((await office().store.accounts.balance('44010009'))?.balanceFen).toBe(0);

    expect(
      (await clerk.post('/office/cards/bind', { institutionNo: '44010009', cardNumber: CARD })).status,
    ).toBe(201);
    expect(await station.confirmTopUp(transfer)).toEqual({ confirmed: true });
    expect((await office().store.accounts.balance('44010009'))?.balanceFen).toBe(30_050);
    type Cards = { data: { transfers: Array<{ bankRef: string; cardMasked: string; amount: string }> } };
    const view = await clerk.get<Cards>('/office/cards?no=44010009');
    expect(view.json.data.transfers).toEqual([
      expect.objectContaining({
        bankRef: 'BK2026120300017',
        cardMasked: '621799*********0124',
        amount: '300.50',
      }),
    ]);
    const page = await clerk.request('GET', '/office/cards?no=44010009', asPage);
    expect(page.text).toContain('BK2026120300017');
    expect(page.text).toContain('300.50');
  });

  it('the HTML console: a form deposit answers the voucher page; a form without the CSRF field is refused', async () => {
    const page = await clerk.request('GET', '/office/deposit?no=44010001', asPage);
    expect(page.text).toContain('天河路便民站');
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(page.text)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const form = { institutionNo: '44010001', amount: '88.80', depositor: '刘一', requestKey };
    const noToken = await clerk.request('POST', '/office/deposits', {
      form,
      headers: { accept: 'text/html' },
      csrf: null,
    });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('data-code="CSRF_FAILED"');
    const ok = await clerk.request('POST', '/office/deposits', {
      form: { ...form, _csrf: csrf },
      headers: { accept: 'text/html' },
      csrf: null,
    });
    expect(ok.status).toBe(201);
    expect(ok.text).toContain('人民币捌拾捌元捌角整');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(8_880);
  });

  it('a hostile caller gets a coded 4xx with a Chinese message from every console POST, and nothing is written', async () => {
    const admin = new ConsoleClient(office());
    await admin.login('admin', office().admin.password);
    const tables = ['accounts', 'journal', 'requests', 'vouchers', 'green_cards', 'office_users'];
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all(tables.map((t) => rawSql(office().store, `SELECT * FROM ${t} ORDER BY 1`))),
      );
    const before = await snapshot();
    const bodies: unknown[] = [
      null,
      [],
      'text',
      42,
      {},
      { institutionNo: 44010001, amount: 1, depositor: [], requestKey: {} },
      { institutionNo: '4'.repeat(5000), cardNumber: '9'.repeat(5000), username: 'x'.repeat(5000) },
      { institutionNo: '44010001', cardNumber: '6217991234567890125', role: 'root', username: 'a b' },
      { oldPassword: '', newPassword: 'x'.repeat(201), confirmPassword: 'y' },
    ];
    const posts: Array<[ConsoleClient, string]> = [
      [clerk, '/office/deposits'],
      [clerk, '/office/cards/bind'],
      [clerk, '/office/cards/unbind'],
      [clerk, '/office/password'],
      [clerk, '/office/vouchers/not%20a%20voucher/reprint'],
      [admin, '/office/users'],
      [admin, '/office/users/abc/disable'],
      [admin, '/office/users/999999/reset-password'],
    ];
    for (const [c, path] of posts) {
      for (const body of bodies) {
        const r = await c.request('POST', path, {
          raw: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        const label = `${path} ${JSON.stringify(body)?.slice(0, 60)}`;
        expect([label, r.status >= 400 && r.status < 500]).toEqual([label, true]);
        const e = (r.json as unknown as ErrorReply).error;
        expect([label, /^[A-Z_]+$/.test(e.code), /[\u4e00-\u9fff]/.test(e.message)]).toEqual([
          label,
          true,
          true,
        ]);
      }
    }
    expect(await snapshot()).toBe(before);
    expect((await clerk.get('/office/me')).status).toBe(200); // the password was not changed either
  });
});

describe('console helpers', () => {
  it('card numbers: Luhn-checked, masked to BIN + last four', () => {
    expect(parseCardNumber(CARD)).toBe(CARD);
    expect(parseCardNumber('6217991234567890125')).toBeUndefined();
    expect(parseCardNumber('12345')).toBeUndefined();
    expect(maskCard('6217991234567890')).toBe('621799******7890');
  });
  it('voucher numbers compare in one canonical form', () => {
    expect(canonicalVoucherNo('ck-0000 000 001')).toBe('CK0000000001');
  });
  it('金额大写 on the voucher', () => {
    expect(amountInWords(50_000)).toBe('人民币伍佰元整');
    expect(amountInWords(123_456_789)).toBe('人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分');
    expect(amountInWords(1_050_000)).toBe('人民币壹万零伍佰元整');
    expect(amountInWords(1_001)).toBe('人民币壹拾元零壹分');
    expect(amountInWords(5)).toBe('人民币伍分');
  });
});
