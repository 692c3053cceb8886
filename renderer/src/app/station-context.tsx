// What every screen needs to know about the station: its profile, who is at the counter, the
// services they may offer, the float — and a way to refresh the float after every posting.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CatalogueItemDto, OperatorDto, StationDto } from '../../../shared/contract';
import { call, ApiError, LEDGER_EVENT, setSession } from '../api';
import { startupAnswer } from './startup';

/** The float can move without this window (payment recovery, another window): look again this often. */
export const FLOAT_POLL_MS = 30_000;

export type PageId = 'counter' | 'topup' | 'transactions' | 'printer' | 'dayclose' | 'reports' | 'standing';

export interface FloatState {
  balance: string;
  pending: string;
  available: string;
}

export interface NavigateParams {
  /** Top-up screen: the shortfall that sent the operator here. */
  shortfall?: string;
}

interface StationState {
  station: StationDto | null;
  operator: OperatorDto | null;
  operators: OperatorDto[];
  catalogue: CatalogueItemDto[];
  float: FloatState | null;
  loadError: ApiError | null;
  page: PageId;
  navParams: NavigateParams;
  navigate(page: PageId, params?: NavigateParams): void;
  refreshFloat(): Promise<void>;
  /** After anything that moves money: float now, lists when they next look. */
  afterPosting(): void;
  /** Bumped after every posting, so lists can reload. */
  postingsVersion: number;
  setOperator(operatorId: string): Promise<void>;
  reload(): Promise<void>;
}

const Ctx = createContext<StationState | null>(null);

/** The four answers the counter starts with, when startup.ts already has them all. */
function startupStation() {
  const st = startupAnswer('station.get');
  const session = startupAnswer('session.get');
  const cat = startupAnswer('catalogue.list');
  const fl = startupAnswer('float.balance');
  return st && session && cat && fl ? { st, session, cat, fl } : undefined;
}

export function StationProvider({ children }: { children: ReactNode }) {
  const [first] = useState(startupStation);
  const [station, setStation] = useState<StationDto | null>(first?.st ?? null);
  const [operator, setOperatorState] = useState<OperatorDto | null>(first?.session.operator ?? null);
  const [operators, setOperators] = useState<OperatorDto[]>(first?.session.operators ?? []);
  const [catalogue, setCatalogue] = useState<CatalogueItemDto[]>(first?.cat.items ?? []);
  const [float, setFloat] = useState<FloatState | null>(first?.fl ?? null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [page, setPage] = useState<PageId>('counter');
  const [navParams, setNavParams] = useState<NavigateParams>({});
  const [postingsVersion, setPostingsVersion] = useState(0);

  const refreshFloat = useCallback(async () => {
    try {
      const f = await call('float.balance');
      setFloat((prev) =>
        prev && prev.balance === f.balance && prev.pending === f.pending && prev.available === f.available
          ? prev
          : f,
      );
    } catch {
      // keep the last known figure; the header marks it stale by not changing
    }
  }, []);

  const reload = useCallback(async () => {
    try {
      const [st, session, cat, fl] = await Promise.all([
        call('station.get'),
        call('session.get'),
        call('catalogue.list'),
        call('float.balance'),
      ]);
      setStation(st);
      setOperatorState(session.operator);
      setOperators(session.operators);
      setCatalogue(cat.items);
      setFloat(fl);
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof ApiError ? e : new ApiError('NETWORK', String(e)));
    }
  }, []);

  const answered = useRef(first !== undefined);
  useEffect(() => {
    if (!answered.current) void reload();
    answered.current = false;
  }, [reload]);

  // The float can change behind our back (another window, recovery of a pending payment).
  useEffect(() => {
    const onFocus = () => void refreshFloat();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refreshFloat]);

  // Another operator takes over by logging in with their own PIN (issue 12): this logs out.
  const setOperator = useCallback(async (_operatorId: string) => {
    await call('auth.logout').catch(() => undefined);
    setSession(undefined);
  }, []);

  // ...and on a timer, and whenever the operator changes screens.
  useEffect(() => {
    // The business day turns at midnight (Asia/Shanghai) with the window open; the ledger's
    // verification state changes with a failed or passed verification.
    const refreshStation = () =>
      void call('station.get')
        .then((st) => setStation((prev) => (JSON.stringify(prev) === JSON.stringify(st) ? prev : st)))
        .catch(() => undefined);
    const timer = setInterval(() => {
      void refreshFloat();
      refreshStation();
    }, FLOAT_POLL_MS);
    window.addEventListener(LEDGER_EVENT, refreshStation);
    return () => {
      clearInterval(timer);
      window.removeEventListener(LEDGER_EVENT, refreshStation);
    };
  }, [refreshFloat]);

  const navigate = useCallback(
    (p: PageId, params: NavigateParams = {}) => {
      setNavParams(params);
      setPage(p);
      void refreshFloat();
    },
    [refreshFloat],
  );

  const afterPosting = useCallback(() => {
    void refreshFloat();
    setPostingsVersion((v) => v + 1);
  }, [refreshFloat]);

  // The context value changes only when one of its parts does (consumers re-render then only).
  const value = useShallowStable<StationState>({
    station,
    operator,
    operators,
    catalogue,
    float,
    loadError,
    page,
    navParams,
    navigate,
    refreshFloat,
    afterPosting,
    postingsVersion,
    setOperator,
    reload,
  });
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useStation(): StationState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useStation outside StationProvider');
  return v;
}

/** The same object as last render while every property is the same (Object.is), else the new one. */
function useShallowStable<T extends object>(next: T): T {
  const [kept, setKept] = useState(next);
  const same = (Object.keys(next) as (keyof T)[]).every((k) => Object.is(kept[k], next[k]));
  if (!same) setKept(next);
  return same ? kept : next;
}
