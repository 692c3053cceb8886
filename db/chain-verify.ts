// The ledger's verification (issue 9): verifyLedger() recomputes the hash chain and the running
// balances (each row's balances are the row before's plus its legs; chain.ts says what they are)
// from the last verified point (whose own balances must still be on its row) or from the start,
// and records the outcome in ledger_verifications. A failed verification stops money: the
// database refuses transactions and reservations (LEDGER_TAMPERED) until a full verification
// passes again; the backend records a fault for the monitor upload (backend/services/day-guard.ts
// verifyAndReport). While an older ledger is being migrated (007, 008), the same checks run over
// its postings rows.
//
// What it catches: a row edited or deleted after someone dropped the triggers, a balance that does
// not add up, a leg on an account that does not exist, a dropped guard. What it cannot catch alone:
// someone who rewrites the whole chain consistently (the hash has no secret) — for that, each Z
// close's chain head goes to the office in the signed daily upload.
import type Database from 'better-sqlite3';
import {
  ACCOUNT_COLUMNS,
  CHAINED_COLUMNS,
  chainHash,
  GENESIS_HASH,
  GUARD_TRIGGERS,
  HEAD_TRIGGERS,
  KEPT_BEFORE_018,
  ONE_ROW_GUARD_TRIGGERS,
} from './chain';

type Db = Database.Database;

export interface Verification {
  ok: boolean;
  scope: 'start' | 'x' | 'z' | 'full' | 'migration';
  /** Verified from (exclusive) and up to (inclusive). */
  fromTxnId: number;
  toTxnId: number;
  txns: number;
  postings: number;
  head: string;
  problem: string | null;
  ms: number;
}

interface Checkpoint {
  to_txn_id: number;
  chain_hash: string | null;
  to_posting_id: number;
  balances: string;
}

interface TxnRow {
  id: number;
  kind: string;
  business_day: string;
  created_at: string;
  operator_id: string;
  operator_name: string | null;
  amount_fen: number;
  fee_fen: number;
  service: string | null;
  reverses_id: number | null;
  idempotency_key: string;
  request_hash: string;
  legs: string;
  details: string;
  chain_hash: string | null;
}

interface PostingRow {
  id: number;
  txn_id: number;
  account: string;
  amount_fen: number;
  balance_after_fen: number;
  business_day: string;
}

/** The latest verification, if any. */
export function lastVerification(db: Db): { ok: number; at: string; detail: string | null } | undefined {
  return db.prepare(`SELECT ok, at, detail FROM ledger_verifications ORDER BY id DESC LIMIT 1`).get() as
    { ok: number; at: string; detail: string | null } | undefined;
}

/** True while the latest verification failed: money channels are closed (LEDGER_TAMPERED). */
export function ledgerTampered(db: Db): boolean {
  return lastVerification(db)?.ok === 0;
}

/** Recomputes the chain and the running balances from the last verified point (or, with
 *  `full`, from the first transaction) and records the outcome in ledger_verifications. */
export function verifyLedger(
  db: Db,
  opts: {
    scope: Verification['scope'];
    nowIso: string;
    full?: boolean;
    /** False: a pass is not recorded (the check before an X or Z, which may then be refused:
     *  nothing is written on a refusal). A failure is always recorded — it closes money channels. */
    recordPass?: boolean;
  },
): Verification {
  const t0 = performance.now();
  // After a failure, nothing less than a full verification passes again: the last good
  // checkpoint may be older than what was changed.
  const full = opts.full || opts.scope === 'full' || lastVerification(db)?.ok === 0;
  const result = db.transaction(
    (): Omit<Verification, 'ms' | 'scope'> & { balances: string; toPostingId: number } => {
      const cp = full
        ? undefined
        : (db
            .prepare(
              `SELECT to_txn_id, chain_hash, to_posting_id, balances FROM ledger_verifications WHERE ok = 1 ORDER BY id DESC LIMIT 1`,
            )
            .get() as Checkpoint | undefined);
      const fromTxnId = cp?.to_txn_id ?? 0;
      const fromPostingId = cp?.to_posting_id ?? 0;
      const balances = new Map<string, number>(
        Object.entries(JSON.parse(cp?.balances ?? '{}') as Record<string, number>),
      );
      const prev: string | null = cp?.chain_hash ?? null;
      // The first few things found wrong (a broken chain usually breaks every row after it).
      const problems: string[] = [];
      const fail = (p: string) => {
        if (problems.length < 3) problems.push(p);
      };
      // The guards must be in place (a dropped trigger is how rows get edited).
      const present = new Set(
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).pluck().all() as string[],
      );
      // Before migration 018 (only while an older ledger is being migrated) the balances are in
      // the postings, which the txns_post trigger wrote. (Told by the triggers already read, so
      // that what the older migrations execute is unchanged: migrations-frozen.test.ts.)
      const oneRow = !present.has('txns_post');
      const heads =
        !oneRow &&
        db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account_heads'`).get();
      const guards: readonly string[] = oneRow
        ? ONE_ROW_GUARD_TRIGGERS
        : heads
          ? [...GUARD_TRIGGERS, ...HEAD_TRIGGERS]
          : GUARD_TRIGGERS;
      const missing = guards.filter((t) => !present.has(t));
      if (missing.length > 0) fail(`账本保护触发器已被删除：${missing.join('、')}`);
      // The verified point itself must still be what it was.
      if (cp && cp.to_txn_id > 0) {
        const h = db.prepare(`SELECT chain_hash FROM txns WHERE id = ?`).pluck().get(cp.to_txn_id);
        if (h !== cp.chain_hash) fail(`交易 ${cp.to_txn_id} 在上次校验后被改动或删除`);
      }
      if (oneRow) {
        const kept = db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)`)
          .pluck()
          .all(...Object.values(KEPT_BEFORE_018)) as string[];
        if (kept.length > 0)
          fail(`升级账本（迁移 018）之前的校验未通过，原分录保存在 ${kept.join('、')}：请联系邮政管理部门`);
        const r = verifyRows(db, cp, fromTxnId, full, prev, balances, fail);
        return finish(r.nTxns, r.nPostings, r.lastTxnId, r.prev, 0);
      }
      const txns = db
        .prepare(`SELECT ${CHAINED_COLUMNS.join(', ')}, chain_hash FROM txns WHERE id > ? ORDER BY id`)
        .iterate(full ? ALL_IDS : fromTxnId) as IterableIterator<TxnRow>;
      const postings = db
        .prepare(
          `SELECT id, txn_id, account, amount_fen, balance_after_fen, business_day FROM postings WHERE id > ? ORDER BY id`,
        )
        .iterate(fromPostingId) as IterableIterator<PostingRow>;
      let nextPosting = postings.next();
      const walk = new ChainWalk(prev, fromTxnId, fail);
      let nPostings = 0;
      let lastPostingId = fromPostingId;
      for (const t of txns) {
        const legs = walk.legsOf(t);
        // Its postings: exactly its legs, in order, each continuing its account's balance.
        const want = new Map(legs.map(([a, f]) => [a, f]));
        while (!nextPosting.done && nextPosting.value.txn_id <= t.id) {
          const p = nextPosting.value;
          nPostings++;
          lastPostingId = p.id;
          if (p.txn_id < t.id) fail(`分录 ${p.id} 属于已校验或不存在的交易 ${p.txn_id}`);
          else {
            if (want.get(p.account) !== p.amount_fen) fail(`分录 ${p.id} 不是交易 ${t.id} 申报的分录`);
            want.delete(p.account);
            if (p.business_day !== t.business_day) fail(`分录 ${p.id} 的营业日与交易不符`);
          }
          const after = (balances.get(p.account) ?? 0) + p.amount_fen;
          if (p.balance_after_fen !== after)
            fail(`分录 ${p.id}（${p.account}）的余额对不上：应为 ${after}，记为 ${p.balance_after_fen}`);
          balances.set(p.account, p.balance_after_fen);
          nextPosting = postings.next();
        }
        if (want.size > 0) fail(`交易 ${t.id} 缺少分录`);
      }
      while (!nextPosting.done) {
        fail(`分录 ${nextPosting.value.id} 没有对应的交易`);
        nPostings++;
        lastPostingId = nextPosting.value.id;
        nextPosting = postings.next();
      }
      // Each account's head (migration 008) is its running balance at the latest posting.
      if (heads) {
        const rows = db.prepare(`SELECT account, posting_id, balance_fen FROM account_heads`).all() as {
          account: string;
          posting_id: number;
          balance_fen: number;
        }[];
        for (const h of rows) {
          const want = balances.get(h.account) ?? 0;
          if (h.balance_fen !== want)
            fail(`账户 ${h.account} 的当前余额 ${h.balance_fen} 与分录 ${want} 不符`);
        }
      }
      return finish(walk.txns, nPostings, walk.lastTxnId, walk.prev, lastPostingId);

      function finish(
        nTxns: number,
        nPostings: number,
        lastTxnId: number,
        head: string | null,
        toPostingId: number,
      ) {
        // Deleted rows at the end of the chain: the latest id must be the one verified.
        if (full || !cp) {
          const n = db.prepare(`SELECT count(*) FROM txns`).pluck().get() as number;
          if (n !== nTxns) fail(`交易笔数 ${n} 与链条 ${nTxns} 不符`);
        }
        return {
          ok: problems.length === 0,
          fromTxnId,
          toTxnId: lastTxnId,
          txns: nTxns,
          postings: nPostings,
          head: head ?? GENESIS_HASH,
          problem: problems.length > 0 ? problems.join('；') : null,
          balances: JSON.stringify(Object.fromEntries([...balances].sort())),
          toPostingId,
        };
      }
    },
  )();
  const ms = performance.now() - t0;
  db.transaction(() => {
    const last = lastVerification(db);
    // Nothing new and nothing wrong: no row (the start of every session would add one).
    if (result.ok && result.txns === 0 && last?.ok === 1 && !full) return;
    if (result.ok && opts.recordPass === false) return;
    db.prepare(
      `INSERT INTO ledger_verifications (at, scope, ok, from_txn_id, to_txn_id, chain_hash, to_posting_id, balances, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      opts.nowIso,
      opts.scope,
      result.ok ? 1 : 0,
      result.fromTxnId,
      result.toTxnId,
      result.head,
      result.toPostingId,
      result.balances,
      result.problem,
    );
  }).immediate();
  return {
    ok: result.ok,
    scope: opts.scope,
    fromTxnId: result.fromTxnId,
    toTxnId: result.toTxnId,
    txns: result.txns,
    postings: result.postings,
    head: result.head,
    problem: result.problem,
    ms,
  };
}

/** Every id, for a full verification's `id > ?` (rows at 0 or below are walked, and flagged). */
const ALL_IDS = -(2n ** 63n);

/** Walks the chain row by row from a verified point: checks each row's hash against the one
 *  before it, counts the rows, and reads each one's legs. */
class ChainWalk {
  txns = 0;
  lastTxnId: number;
  constructor(
    public prev: string | null,
    fromTxnId: number,
    private readonly fail: (p: string) => void,
  ) {
    this.lastTxnId = fromTxnId;
  }

  legsOf(t: TxnRow): [string, number][] {
    this.txns++;
    // Ids in sequence from the verified point (from 1): a row put below, at 0 or past a gap is
    // outside the chain.
    if (t.id !== this.lastTxnId + 1) this.fail(`交易编号不连续：交易 ${t.id} 接在 ${this.lastTxnId} 之后`);
    const expected = chainHash(
      this.prev,
      CHAINED_COLUMNS.map((c) => t[c]),
    );
    if (t.chain_hash !== expected) this.fail(`交易 ${t.id} 的校验值不符（记录被改动，或链条断开）`);
    this.prev = t.chain_hash;
    this.lastTxnId = t.id;
    try {
      return JSON.parse(t.legs) as [string, number][];
    } catch {
      this.fail(`交易 ${t.id} 的分录无法读取`);
      return [];
    }
  }
}

type OneRow = TxnRow & { [K in (typeof ACCOUNT_COLUMNS)[AccountName]]: number | null };
type AccountName = keyof typeof ACCOUNT_COLUMNS;
const ACCOUNTS = Object.keys(ACCOUNT_COLUMNS) as AccountName[];

/**
 * The one-row ledger (migration 018) from `fromTxnId` on: each row's hash continues the chain, and
 * each account's balance on it is the one before plus the row's legs. The verified point's own
 * balances must still be on its row (they are what the next row continues). Moves `balances`.
 */
function verifyRows(
  db: Db,
  cp: Checkpoint | undefined,
  fromTxnId: number,
  full: boolean,
  prev: string | null,
  balances: Map<string, number>,
  fail: (p: string) => void,
): { nTxns: number; nPostings: number; lastTxnId: number; prev: string | null } {
  const cols = ACCOUNTS.map((a) => ACCOUNT_COLUMNS[a]);
  if (cp && cp.to_txn_id > 0) {
    const at = db.prepare(`SELECT ${cols.join(', ')} FROM txns WHERE id = ?`).get(cp.to_txn_id) as
      Record<string, number | null> | undefined;
    for (const a of ACCOUNTS) {
      if (at && at[ACCOUNT_COLUMNS[a]] !== (balances.get(a) ?? 0))
        fail(`交易 ${cp.to_txn_id} 记的 ${a} 余额在上次校验后被改动`);
    }
  }
  const rows = db
    .prepare(
      `SELECT ${CHAINED_COLUMNS.join(', ')}, chain_hash, ${cols.join(', ')} FROM txns WHERE id > ? ORDER BY id`,
    )
    .iterate(full ? ALL_IDS : fromTxnId) as IterableIterator<OneRow>;
  const walk = new ChainWalk(prev, fromTxnId, fail);
  let nPostings = 0;
  for (const t of rows) {
    const legs = walk.legsOf(t);
    for (const [account, fen] of legs) {
      nPostings++;
      if (!(account in ACCOUNT_COLUMNS)) fail(`交易 ${t.id} 有未知账户 ${account} 的分录`);
      else balances.set(account, (balances.get(account) ?? 0) + fen);
    }
    for (const a of ACCOUNTS) {
      const want = balances.get(a) ?? 0;
      const got = t[ACCOUNT_COLUMNS[a]];
      if (got !== want) fail(`交易 ${t.id}（${a}）的余额对不上：应为 ${want}，记为 ${got}`);
    }
  }
  return { nTxns: walk.txns, nPostings, lastTxnId: walk.lastTxnId, prev: walk.prev };
}
