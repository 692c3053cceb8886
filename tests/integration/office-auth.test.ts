// The office console's logins through HTTP: passwords, sessions that expire and end, CSRF on
// every POST, throttling per user and per address, roles, and the audit row of every action —
// on each store engine.
import { describe, expect, it } from 'vitest';
import {
  MAX_FAILURES_PER_ADDRESS,
  MAX_FAILURES_PER_USER,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  THROTTLE_WINDOW_MS,
  sessionIdHash,
} from '../../platform/office/auth';
import {
  ConsoleClient,
  depositForm,
  registerStation,
  startOffice,
  userClient,
  type ErrorReply,
} from '../helpers/office';
import { officeEngines, officeForEachTest, usePgServer } from '../helpers/office-engines';

usePgServer();

describe.each(officeEngines())('office logins on %s', (engine, opener) => {
  const office = officeForEachTest(engine, opener);

  it('the first admin gets a random password, printed once; a second start creates none', async () => {
    expect(office().admin.username).toBe('admin');
    expect(office().admin.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const { ensureFirstAdmin } = await import('../../platform/office/routes');
    expect(await ensureFirstAdmin(office().store, office().now())).toBeUndefined();
    const stored = await office().store.office.userByName('admin');
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored?.passwordHash).not.toContain(office().admin.password);
  });

  it('a login sets an HttpOnly, SameSite=Strict session cookie whose value the database never holds', async () => {
    const c = new ConsoleClient(office());
    const r = await c.login('admin', office().admin.password);
    expect(r.status).toBe(200);
    const setCookie = r.headers.getSetCookie().find((s) => s.startsWith('yizhan_office_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/office/);
    const value = c.cookies.get('yizhan_office_session')!;
    expect(value.length).toBeGreaterThanOrEqual(43); // 32 random bytes
    const session = await office().store.office.sessionByHash(sessionIdHash(value));
    expect(session?.endedAt).toBeNull();
    expect(JSON.stringify(session)).not.toContain(value);
    const me = await c.get<{ data: { username: string; role: string } }>('/office/me');
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('behind TLS (--secure-cookies) the session cookie is also Secure', async () => {
    const tls = await startOffice(opener, undefined, { secureCookies: true });
    try {
      const r = await new ConsoleClient(tls).login('admin', tls.admin.password);
      expect(r.status).toBe(200);
      const set = r.headers.getSetCookie().find((s) => s.startsWith('yizhan_office_session='))!;
      expect(set).toMatch(/; Secure/);
    } finally {
      await tls.close();
    }
  });

  it('a wrong password is refused with a coded 401, no session, and an audit row saying who tried from where', async () => {
    const c = new ConsoleClient(office());
    const r = await c.login('admin', 'not-the-password');
    expect(r.status).toBe(401);
    expect((r.json as unknown as ErrorReply).error).toMatchObject({
      code: 'BAD_CREDENTIALS',
      message: '用户名或密码错误',
    });
    expect(c.cookies.has('yizhan_office_session')).toBe(false);
    const unknown = await new ConsoleClient(office()).login('nobody', 'whatever-password');
    expect((unknown.json as unknown as ErrorReply).error.code).toBe('BAD_CREDENTIALS'); // same answer
    const rows = await office().store.office.auditLog({ limit: 10, action: 'login' });
    expect(rows.map((a) => [a.username, a.outcome])).toEqual([
      ['nobody', 'BAD_CREDENTIALS'],
      ['admin', 'BAD_CREDENTIALS'],
    ]);
    expect(rows[0]!.remote).toBe('127.0.0.1');
    expect(rows[0]!.at).toBe(office().now().toISOString());
    expect(JSON.stringify(rows)).not.toContain('not-the-password');
  });

  it('a login POST without the login page token is refused (CSRF_FAILED) and starts no session', async () => {
    const c = new ConsoleClient(office());
    const r = await c.post('/office/login', { username: 'admin', password: office().admin.password }, null);
    expect(r.status).toBe(403);
    expect((r.json as unknown as ErrorReply).error.code).toBe('CSRF_FAILED');
    expect(c.cookies.has('yizhan_office_session')).toBe(false);
  });

  it('every POST needs the session CSRF token: missing, wrong or cross-site is a coded 403 and nothing is written', async () => {
    await registerStation(office(), '44010001');
    const clerk = await userClient(office(), { username: 'clerk1', role: 'clerk', branchCode: 'GZ001' });
    const body = await depositForm(clerk, '44010001', '500.00');
    const missing = await clerk.post('/office/deposits', body, null);
    const wrong = await clerk.post('/office/deposits', body, 'x'.repeat(43));
    const crossSite = await clerk.request('POST', '/office/deposits', {
      body,
      headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    for (const r of [missing, wrong, crossSite]) {
      expect(r.status).toBe(403);
      expect((r.json as unknown as ErrorReply).error.code).toBe('CSRF_FAILED');
    }
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(0);
    expect(await office().store.accounts.statement('44010001')).toEqual([]);
    const ok = await clerk.post('/office/deposits', body);
    expect(ok.status).toBe(201);
    expect((await office().store.accounts.balance('44010001'))?.balanceFen).toBe(50_000);
  });

  it('a session ends after 30 idle minutes, and after 12 hours however busy', async () => {
    const c = new ConsoleClient(office());
    await c.login('admin', office().admin.password);
    office().advance(SESSION_IDLE_MS - 60_000);
    expect((await c.get('/office/me')).status).toBe(200);
    office().advance(SESSION_IDLE_MS - 60_000); // idle since the last request, not since login
    expect((await c.get('/office/me')).status).toBe(200);
    office().advance(SESSION_IDLE_MS);
    const idle = await c.get('/office/me');
    expect(idle.status).toBe(401);
    expect((idle.json as unknown as ErrorReply).error).toMatchObject({
      code: 'SESSION_EXPIRED',
      message: '登录已过期，请重新登录',
    });

    const busy = new ConsoleClient(office());
    await busy.login('admin', office().admin.password);
    const start = office().now().getTime();
    while (office().now().getTime() - start < SESSION_MAX_MS - 20 * 60_000) {
      office().advance(20 * 60_000);
      expect((await busy.get('/office/me')).status).toBe(200);
    }
    office().advance(20 * 60_000);
    expect((await busy.get('/office/me')).status).toBe(401);
  });

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const c = new ConsoleClient(office());
    await c.login('admin', office().admin.password);
    const stolen = c.cookies.get('yizhan_office_session')!;
    const out = await c.post('/office/logout');
    expect(out.status).toBe(200);
    const replay = new ConsoleClient(office());
    replay.cookies.set('yizhan_office_session', stolen);
    const r = await replay.get('/office/me');
    expect(r.status).toBe(401);
    expect((await office().store.office.sessionByHash(sessionIdHash(stolen)))?.endedAt).not.toBeNull();
    const rows = await office().store.office.auditLog({ limit: 5, action: 'logout' });
    expect(rows[0]).toMatchObject({ username: 'admin', outcome: 'ok' });
  });

  it(`a username is locked after ${MAX_FAILURES_PER_USER} failures, even for the right password, until the window passes`, async () => {
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) {
      expect((await new ConsoleClient(office()).login('admin', `wrong-${i}`)).status).toBe(401);
    }
    const locked = await new ConsoleClient(office()).login('admin', office().admin.password);
    expect(locked.status).toBe(429);
    expect((locked.json as unknown as ErrorReply).error).toMatchObject({
      code: 'LOGIN_THROTTLED',
      message: '登录失败次数过多，请稍后再试',
    });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await office().store.office.auditLog({ limit: 1, action: 'login' }))[0]!.outcome).toBe(
      'LOGIN_THROTTLED',
    );
    office().advance(THROTTLE_WINDOW_MS + 1_000);
    expect((await new ConsoleClient(office()).login('admin', office().admin.password)).status).toBe(200);
  });

  it(`an address is locked after ${MAX_FAILURES_PER_ADDRESS} failures across usernames; another address is not`, async () => {
    const tryLogin = async (username: string, password: string, remoteAddress: string) => {
      const page = await office().app.inject({
        method: 'GET',
        url: '/office/login',
        headers: { accept: 'application/json' },
        remoteAddress,
      });
      const token = (page.json() as { data: { csrf: string } }).data.csrf;
      return office().app.inject({
        method: 'POST',
        url: '/office/login',
        remoteAddress,
        headers: {
          accept: 'application/json',
          cookie: `yizhan_office_prelogin=${token}`,
          'x-csrf-token': token,
        },
        payload: { username, password },
      });
    };
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      expect((await tryLogin(`guess${i}`, 'wrong-password', '10.0.0.9')).statusCode).toBe(401);
    }
    const blocked = await tryLogin('admin', office().admin.password, '10.0.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: { code: 'LOGIN_THROTTLED', details: { by: 'address' } } });
    expect((await tryLogin('admin', office().admin.password, '10.0.0.10')).statusCode).toBe(200);
  });

  it('a supervisor sees but cannot deposit: coded 403 in Chinese, nothing written, the refusal audited', async () => {
    await registerStation(office(), '44010002');
    const sup = await userClient(office(), { username: 'super1', role: 'supervisor' });
    const look = await sup.get<{ data: { name: string; requestKey: string | null } }>(
      '/office/deposit?no=44010002',
    );
    expect(look.status).toBe(200);
    expect(look.json.data.name).toBe('测试便民站44010002');
    expect(look.json.data.requestKey).toBeNull();
    const r = await sup.post('/office/deposits', {
      institutionNo: '44010002',
      amount: '500.00',
      depositor: '李四',
      requestKey: 'k'.repeat(32),
    });
    expect(r.status).toBe(403);
    expect((r.json as unknown as ErrorReply).error).toMatchObject({
      code: 'READ_ONLY_ROLE',
      message: '督导员为只读角色，不能办理存款、重印凭证或绑定绿卡',
    });
    expect((await office().store.accounts.balance('44010002'))?.balanceFen).toBe(0);
    expect((await sup.get('/office/day?branch=GZ001')).status).toBe(200);
    expect((await sup.get('/office/audit')).status).toBe(200);
    expect((await sup.get('/office/users')).status).toBe(403);
    const refused = (await office().store.office.auditLog({ limit: 10, action: 'deposit' }))[0]!;
    expect(refused).toMatchObject({
      username: 'super1',
      role: 'supervisor',
      outcome: 'READ_ONLY_ROLE',
      target: '44010002',
      remote: '127.0.0.1',
    });
  });

  it('an admin manages users but takes no deposits; a clerk cannot manage users', async () => {
    await registerStation(office(), '44010003');
    const admin = new ConsoleClient(office());
    await admin.login('admin', office().admin.password);
    const dep = await admin.post('/office/deposits', {
      institutionNo: '44010003',
      amount: '1.00',
      depositor: '王五',
      requestKey: 'a'.repeat(32),
    });
    expect((dep.json as unknown as ErrorReply).error.code).toBe('FORBIDDEN_ROLE');
    const noBranch = await admin.post('/office/users', {
      username: 'clerk9',
      displayName: '柜员九',
      role: 'clerk',
    });
    expect(noBranch.status).toBe(400);
    const clerk = await userClient(office(), { username: 'clerk2', role: 'clerk', branchCode: 'GZ002' });
    const r = await clerk.post('/office/users', { username: 'mallory', displayName: 'M', role: 'admin' });
    expect((r.json as unknown as ErrorReply).error.code).toBe('FORBIDDEN_ROLE');
    expect(await office().store.office.userByName('mallory')).toBeUndefined();
    const dup = await admin.post('/office/users', {
      username: 'clerk2',
      displayName: '重复',
      role: 'supervisor',
    });
    expect((dup.json as unknown as ErrorReply).error.code).toBe('USERNAME_TAKEN');
  });

  it('disabling a user ends their sessions at once and refuses their next login', async () => {
    const clerk = await userClient(office(), { username: 'clerk3', role: 'clerk', branchCode: 'GZ003' });
    const admin = new ConsoleClient(office());
    await admin.login('admin', office().admin.password);
    const users = await admin.get<{ data: Array<{ id: number; username: string }> }>('/office/users');
    const id = users.json.data.find((u) => u.username === 'clerk3')!.id;
    expect((await admin.post(`/office/users/${id}/disable`)).status).toBe(200);
    expect((await clerk.get('/office/me')).status).toBe(401);
    const reset = await admin.post<{ error: { code: string } }>(`/office/users/${id}/reset-password`);
    expect(reset.json.error.code).toBe('USER_NOT_FOUND');
  });

  it('changing the password ends every session of the user; the old password stops working', async () => {
    const c = await userClient(office(), { username: 'clerk4', role: 'clerk', branchCode: 'GZ004' });
    const other = new ConsoleClient(office());
    other.cookies.set('yizhan_office_session', c.cookies.get('yizhan_office_session')!);
    const weak = await c.post('/office/password', {
      oldPassword: 'x',
      newPassword: 'short',
      confirmPassword: 'short',
    });
    expect((weak.json as unknown as ErrorReply).error.code).toBe('WRONG_PASSWORD');
    const admin = new ConsoleClient(office());
    await admin.login('admin', office().admin.password);
    const users = await admin.get<{ data: Array<{ id: number; username: string }> }>('/office/users');
    const id = users.json.data.find((u) => u.username === 'clerk4')!.id;
    const reset = await admin.post<{ data: { password: string } }>(`/office/users/${id}/reset-password`);
    expect((await c.get('/office/me')).status).toBe(401);
    const again = new ConsoleClient(office());
    expect((await again.login('clerk4', reset.json.data.password)).status).toBe(200);
    const changed = await again.post('/office/password', {
      oldPassword: reset.json.data.password,
      newPassword: 'a-new-long-password',
      confirmPassword: 'a-new-long-password',
    });
    expect(changed.status).toBe(200);
    expect((await again.get('/office/me')).status).toBe(401);
    expect((await new ConsoleClient(office()).login('clerk4', reset.json.data.password)).status).toBe(401);
    expect((await new ConsoleClient(office()).login('clerk4', 'a-new-long-password')).status).toBe(200);
  });

  it('every action leaves one audit row with who, when, what and from where', async () => {
    await registerStation(office(), '44010005');
    const clerk = await userClient(office(), { username: 'clerk5', role: 'clerk', branchCode: 'GZ005' });
    const look = await clerk.get<{ data: { requestKey: string } }>('/office/deposit?no=44010005');
    await clerk.post('/office/deposits', {
      institutionNo: '44010005',
      amount: '12.34',
      depositor: '赵六',
      requestKey: look.json.data.requestKey,
    });
    await clerk.get('/office/day');
    await clerk.post('/office/logout');
    const rows = (await office().store.office.auditLog({ limit: 50, username: 'clerk5' })).reverse();
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'login:ok',
      'station.lookup:ok',
      'deposit:ok',
      'day.view:ok',
      'logout:ok',
    ]);
    for (const r of rows) {
      expect(r.remote).toBe('127.0.0.1');
      expect(r.role).toBe('clerk');
      expect(r.at).toBe(office().now().toISOString());
    }
    expect(rows[2]!.details).toMatchObject({
      institutionNo: '44010005',
      amount: '12.34',
      depositor: '赵六',
      branch: 'GZ005',
    });
  });
});
