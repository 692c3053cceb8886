// The idle lock (issue 12) as a station setting: the counter locks after the minutes the station
// sets (1–60; 10 until set), read by every client from auth.status. The holder changes it; an
// authorised person whose scope lacks 设置 may not; a value out of range is refused and nothing is
// written.
import { describe, expect, it } from 'vitest';
import { getSetting } from '../../db/settings';
import { IDLE_LOCK_MINUTES, IDLE_LOCK_SETTING } from '../../backend/services/auth';
import { loginWith, ok, refused } from '../helpers/backend';
import { backendWithClients } from '../helpers/clients';

const { as, backend, restart, recordSon } = backendWithClients();

const login = (operatorId: string, pin: string) => loginWith(as, operatorId, pin);

describe('the idle lock time is a station setting', () => {
  it('issue 12: the holder sets the idle lock; every client reads it from auth.status, and it outlives a restart', async () => {
    const h = await login('op-holder', '1357');
    expect(ok(await as(h)('auth.status')).idleLockMinutes).toBe(IDLE_LOCK_MINUTES);
    expect(ok(await as(h)('auth.setIdleLock', { minutes: 1 }))).toEqual({ idleLockMinutes: 1 });
    expect(ok(await as(undefined)('auth.status')).idleLockMinutes).toBe(1);
    expect(ok(await as(h)('auth.setIdleLock', { minutes: 60 })).idleLockMinutes).toBe(60);
    expect(getSetting(backend().db, IDLE_LOCK_SETTING)).toBe('60');

    await restart();
    expect(ok(await as(undefined)('auth.status')).idleLockMinutes).toBe(60);
  });

  it('issue 12: outside 1–60 whole minutes the setting is refused (INVALID_INPUT, in Chinese) and nothing is written', async () => {
    const h = await login('op-holder', '1357');
    ok(await as(h)('auth.setIdleLock', { minutes: 15 }));
    for (const minutes of [0, 61, -5, 1.5, 1e9, '5', null, undefined]) {
      const e = refused(await as(h)('auth.setIdleLock', { minutes }), 'INVALID_INPUT');
      expect(e.message, String(minutes)).toContain('空闲锁屏时间应为 1～60 分钟');
    }
    refused(await as(h)('auth.setIdleLock', {}), 'INVALID_INPUT');
    expect(getSetting(backend().db, IDLE_LOCK_SETTING)).toBe('15');
    expect(ok(await as(h)('auth.status')).idleLockMinutes).toBe(15);
  });

  it('PPL-3: an authorised person whose scope lacks 设置 may not change the idle lock (NOT_PERMITTED); nor may a client that has not logged in', async () => {
    const son = await recordSon();
    const s = await login(son, '2468');
    const e = refused(await as(s)('auth.setIdleLock', { minutes: 60 }), 'NOT_PERMITTED');
    expect(e.message).toContain('设置');
    refused(await as(undefined)('auth.setIdleLock', { minutes: 60 }), 'NOT_LOGGED_IN');
    expect(getSetting(backend().db, IDLE_LOCK_SETTING)).toBeUndefined();
    expect(ok(await as(s)('auth.status')).idleLockMinutes).toBe(IDLE_LOCK_MINUTES);
  });
});
