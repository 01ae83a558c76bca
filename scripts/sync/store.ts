import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The embedded store: one SQLite file per target org, keyed by the org's Id.
 * It keeps what the org should not (raw rows, quarantine, statistics) and
 * the state that makes every step restartable (match, score and push state
 * per response, bulk job ids, sync runs).
 */

export type Db = Database.Database;

/** Default folder of the stores, relative to the working directory. */
export const DEFAULT_STORE_DIR = path.join('.outside-in', 'store');

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many
 * ran. Append only: a released migration never changes.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
  );

  -- One row per file import. A file already imported with the same bytes,
  -- format and mapping is skipped; a crashed import ('running') is redone.
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    delimiter TEXT,
    format TEXT NOT NULL,
    mapping_hash TEXT NOT NULL,
    columns TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    stored INTEGER NOT NULL DEFAULT 0,
    quarantined INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    edited INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    UNIQUE (file_hash, format, mapping_hash)
  );

  -- Every input row, whatever became of it.
  CREATE TABLE rows (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    line INTEGER,
    raw TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('stored', 'quarantined')),
    response_id TEXT,
    field TEXT,
    reason TEXT,
    PRIMARY KEY (import_id, row_number)
  ) WITHOUT ROWID;
  CREATE INDEX rows_response ON rows(response_id);

  -- Rejected rows (stage 'import') and responses the org could not place
  -- (stage 'match', e.g. an unknown touchpoint), with file, row, field, reason.
  CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stage TEXT NOT NULL CHECK (stage IN ('import', 'match')),
    import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
    file TEXT,
    row_number INTEGER,
    line INTEGER,
    response_id TEXT,
    field TEXT,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX quarantine_row ON quarantine(import_id, row_number) WHERE stage = 'import';
  CREATE UNIQUE INDEX quarantine_match ON quarantine(response_id) WHERE stage = 'match';

  -- Normalised responses: imported ones and rep captures read back from the org.
  CREATE TABLE responses (
    response_id TEXT PRIMARY KEY,
    source TEXT NOT NULL DEFAULT 'Import' CHECK (source IN ('Import', 'Survey_Tool', 'Rep_Capture')),
    import_id INTEGER,
    source_row INTEGER,
    email TEXT,
    email_norm TEXT,
    touchpoint_ref TEXT,
    channel TEXT,
    occurred_at TEXT NOT NULL,
    nps REAL,
    csat REAL,
    ces REAL,
    expectation REAL,
    perception REAL,
    self_rating REAL,
    answers TEXT NOT NULL,
    comment TEXT,
    language TEXT,
    account_ref TEXT,
    case_ref TEXT,
    opportunity_ref TEXT,
    order_ref TEXT,
    record_ref TEXT,
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- match: what the response was linked to in the org
    match_status TEXT NOT NULL DEFAULT 'pending' CHECK (match_status IN ('pending', 'matched', 'unmatched')),
    match_reason TEXT,
    match_candidates TEXT,
    match_hash TEXT,
    contact_id TEXT,
    account_id TEXT,
    touchpoint_id TEXT,
    touchpoint_key TEXT,
    journey_key TEXT,
    case_id TEXT,
    opportunity_id TEXT,
    order_id TEXT,
    related_record_id TEXT,
    created_date TEXT,
    -- score: the fingerprint (content + match) that the statistics include, and where
    period TEXT,
    score_pending INTEGER NOT NULL DEFAULT 1,
    scored_key TEXT,
    scored_scopes TEXT,
    -- push
    push_pending INTEGER NOT NULL DEFAULT 0,
    pushed_key TEXT,
    push_error TEXT,
    perception_id TEXT,
    task_state TEXT,
    task_id TEXT,
    task_error TEXT
  );
  CREATE INDEX responses_email ON responses(email_norm);
  CREATE INDEX responses_score_pending ON responses(response_id) WHERE score_pending = 1;
  CREATE INDEX responses_push_pending ON responses(response_id) WHERE push_pending = 1;
  CREATE INDEX responses_match_status ON responses(match_status);
  CREATE INDEX responses_account ON responses(account_id, period);
  CREATE INDEX responses_touchpoint ON responses(touchpoint_key, period);
  CREATE INDEX responses_journey ON responses(journey_key, period);
  CREATE INDEX responses_period ON responses(period);
  CREATE INDEX responses_contact ON responses(contact_id);

  -- Accounts and contacts whose CX_ summary fields need pushing.
  CREATE TABLE summaries (
    object TEXT NOT NULL CHECK (object IN ('Account', 'Contact')),
    record_id TEXT NOT NULL,
    PRIMARY KEY (object, record_id)
  ) WITHOUT ROWID;

  -- Mergeable statistics per scope and month (A account, T touchpoint, J journey, O org).
  CREATE TABLE stats (
    scope TEXT NOT NULL CHECK (scope IN ('A', 'T', 'J', 'O')),
    scope_key TEXT NOT NULL,
    period TEXT NOT NULL,
    stats TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 0,
    push_pending INTEGER NOT NULL DEFAULT 1,
    includes_through TEXT,
    pushed_key TEXT,
    PRIMARY KEY (scope, scope_key, period)
  ) WITHOUT ROWID;

  -- Bulk API jobs, saved before the upload so that a rerun finds them.
  CREATE TABLE push_jobs (
    job_id TEXT PRIMARY KEY,
    run_id TEXT,
    object TEXT NOT NULL,
    operation TEXT NOT NULL,
    external_id_field TEXT,
    label TEXT NOT NULL,
    keys TEXT NOT NULL,
    state TEXT NOT NULL,
    rows INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    processed INTEGER,
    failed INTEGER,
    error TEXT
  );

  CREATE TABLE sync_runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    counts TEXT,
    details TEXT,
    recorded_in_org INTEGER NOT NULL DEFAULT 0
  );
  `
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenStoreOptions {
  /** Folder of the store files; default `.outside-in/store` (or OUTSIDE_IN_STORE_DIR). */
  dir?: string;
  /** Open an in-memory store (tests). */
  memory?: boolean;
}

/** The store file of an org. */
export function storePath(orgId: string, dir?: string): string {
  if (!/^[A-Za-z0-9]{15,18}$/.test(orgId)) throw new Error(`Not an org Id: ${orgId}`);
  return path.join(dir ?? process.env.OUTSIDE_IN_STORE_DIR ?? DEFAULT_STORE_DIR, `${orgId}.sqlite`);
}

export class Store {
  readonly db: Db;
  readonly orgId: string;
  readonly file: string;

  constructor(orgId: string, options: OpenStoreOptions = {}) {
    this.orgId = orgId;
    if (options.memory) {
      this.file = ':memory:';
    } else {
      this.file = storePath(orgId, options.dir);
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
    }
    this.db = new Database(this.file);
    // WAL with NORMAL sync survives a killed process (the crash tests); only a
    // power cut may lose the last transactions, which a rerun redoes.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    const owner = this.getMeta('org_id');
    if (owner === undefined) this.setMeta('org_id', orgId);
    else if (owner !== orgId) {
      this.db.close();
      throw new Error(`Store ${this.file} belongs to org ${owner}, not ${orgId}`);
    }
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `Store ${this.file} has schema version ${current}, newer than this version of Outside-In (${MIGRATIONS.length})`
      );
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      const sql = MIGRATIONS[v] as string;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string | null } | undefined;
    return row?.value ?? undefined;
  }

  setMeta(key: string, value: string | null): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
      )
      .run(key, value);
  }

  /** Runs `fn` in one transaction (batched writes are what make imports fast). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openStore(orgId: string, options: OpenStoreOptions = {}): Store {
  return new Store(orgId, options);
}
