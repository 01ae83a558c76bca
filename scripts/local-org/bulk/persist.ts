/**
 * Ingest jobs kept in the org's SQLite file, so a job (its upload, counters
 * and result rows) survives a restart of the local org as it survives in an
 * org: clients that saved a job Id (the sync does) find it again. Progress
 * is written in the transaction of each processed chunk, so a job resumes
 * after its last committed row.
 */
import type { LocalOrgCore } from '../core';
import type { UserContext } from '../permissions';
import type { IngestJob } from './ingest';

type Part = 'upload' | 'successful' | 'failed' | 'unprocessed';

/** JobInfo fields kept as JSON (the rest is rebuilt). */
type Saved = Omit<
  IngestJob,
  'user' | 'uploads' | 'successful' | 'failed' | 'unprocessed' | 'abortRequested'
> & { abortRequested?: boolean };

export class IngestJobStore {
  constructor(private readonly core: LocalOrgCore) {
    core.storage.db.exec(`
      CREATE TABLE IF NOT EXISTS __bulk_jobs (id TEXT PRIMARY KEY, info TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS __bulk_parts (
        job_id TEXT NOT NULL, part TEXT NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ix_bulk_parts_job ON __bulk_parts (job_id, part, seq);
    `);
  }

  save(job: IngestJob): void {
    const { user: _u, uploads: _up, successful: _s, failed: _f, unprocessed: _p, ...info } = job;
    this.core.storage
      .stmt(
        'INSERT INTO __bulk_jobs (id, info) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET info = excluded.info'
      )
      .run(job.id, JSON.stringify(info));
  }

  addUpload(job: IngestJob, body: Buffer): void {
    this.core.storage.transaction(() => {
      this.append(job.id, 'upload', body);
      this.save(job);
    });
  }

  append(jobId: string, part: Part, body: Buffer | string): void {
    this.core.storage
      .stmt('INSERT INTO __bulk_parts (job_id, part, body) VALUES (?, ?, ?)')
      .run(jobId, part, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  }

  /** Result lines of a chunk, with the job's counters, in the caller's transaction. */
  appendResults(job: IngestJob, results: Partial<Record<Part, string[]>>): void {
    for (const [part, lines] of Object.entries(results) as [Part, string[]][]) {
      // JSON keeps values with line breaks in one result line.
      if (lines.length) this.append(job.id, part, JSON.stringify(lines));
    }
    this.save(job);
  }

  remove(id: string): void {
    this.core.storage.transaction(() => {
      this.core.storage.stmt('DELETE FROM __bulk_parts WHERE job_id = ?').run(id);
      this.core.storage.stmt('DELETE FROM __bulk_jobs WHERE id = ?').run(id);
    });
  }

  /** Every saved job, with its creator's context; jobs of unknown users are dropped. */
  loadAll(): IngestJob[] {
    const users = new Map<string, UserContext>();
    for (const u of this.core.users.values()) users.set(u.userId, this.core.context(u.persona));
    const rows = this.core.storage.all('SELECT id, info FROM __bulk_jobs ORDER BY id') as {
      id: string;
      info: string;
    }[];
    const jobs: IngestJob[] = [];
    for (const row of rows) {
      const info = JSON.parse(row.info) as Saved;
      const user = users.get(info.createdById);
      if (!user) continue;
      const parts = this.core.storage.all(
        'SELECT part, body FROM __bulk_parts WHERE job_id = ? ORDER BY seq',
        [row.id]
      ) as unknown as { part: Part; body: Buffer }[];
      const lines = (part: Part) =>
        parts
          .filter((p) => p.part === part)
          .flatMap((p) => JSON.parse(p.body.toString('utf8')) as string[]);
      jobs.push({
        ...info,
        user,
        uploads: parts.filter((p) => p.part === 'upload').map((p) => p.body),
        successful: lines('successful'),
        failed: lines('failed'),
        unprocessed: lines('unprocessed'),
        abortRequested: info.abortRequested ?? false
      });
    }
    return jobs;
  }
}
