// Frequent statements are prepared once per connection by name; one-off ones are not, and a
// prepared statement gives the same answers as the unnamed one it replaces.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/db/prepared-statements.js';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/database.js';

describe('statement names', () => {
  it('names a text on its third run, the same name after, and none past the limit', () => {
    const names = new StatementNames(2);
    expect(names.nameFor('a $1')).toBeUndefined();
    expect(names.nameFor('a $1')).toBeUndefined();
    const a = names.nameFor('a $1');
    expect(a).toBeDefined();
    expect(names.nameFor('a $1')).toBe(a);
    for (let i = 0; i < 3; i++) names.nameFor('b $1');
    for (let i = 0; i < 5; i++) expect(names.nameFor('c $1')).toBeUndefined();
    expect(new Set([a, names.nameFor('b $1')]).size).toBe(2);
  });
});

describe.skipIf(primaryKind !== 'postgres')('prepared statements on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('prepares a statement run again and again on a connection, and answers it the same', async () => {
    await database.db.transaction(async (tx) => {
      const answers: unknown[] = [];
      for (let i = 0; i < 5; i++) answers.push(((await tx.execute(sql`select ${i}::int + 1 as next /* prepared-test */`)) as unknown as { rows: unknown[] }).rows);
      expect(answers).toEqual([1, 2, 3, 4, 5].map((next) => [{ next }]));
      const prepared = await tx.execute(sql`select count(*)::int as count from pg_prepared_statements where statement like ${'%prepared-test%'} and statement not like ${'%pg_prepared_statements%'}`);
      expect((prepared as unknown as { rows: [{ count: number }] }).rows[0].count).toBe(1);
    });
  });

  it('leaves a statement run once unprepared', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select ${1}::int as once /* run-once-test */`);
      const prepared = await tx.execute(sql`select count(*)::int as count from pg_prepared_statements where statement like ${'%run-once-test%'} and statement not like ${'%pg_prepared_statements%'}`);
      expect((prepared as unknown as { rows: [{ count: number }] }).rows[0].count).toBe(0);
    });
  });
});
