// "Migrations current" for /readyz: every committed migration has been applied.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, type Database } from './client.js';

interface Journal {
  entries: { tag: string; when: number }[];
}

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as Journal;
const latestCommitted = Math.max(...journal.entries.map((entry) => entry.when));

export interface MigrationStatus {
  applied: number;
  committed: number;
  current: boolean;
}

export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const rows = await db.execute<{ applied: number; latest: string | null }>(sql`
    select count(*)::int as applied, max(created_at)::text as latest
    from drizzle.__drizzle_migrations`);
  // Both drivers return `{ rows }`.
  const row = (rows as unknown as { rows: { applied: number; latest: string | null }[] }).rows[0];
  const applied = Number(row?.applied ?? 0);
  const latestApplied = row?.latest === null || row?.latest === undefined ? 0 : Number(row.latest);
  return { applied, committed: journal.entries.length, current: latestApplied >= latestCommitted };
}

/** For /readyz: resolves when the database answers a query at all. */
export async function ping(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
