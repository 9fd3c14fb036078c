import type { Knex } from 'knex';
import { createStore } from '../../src/backends/create-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import {
  connect,
  createDatabase,
  loadData,
  PG_SERVER,
  type SampledUser,
  sampleUsers,
} from './pg-database.js';
import { userWithChildrenById, userWithChildrenByName } from './user-queries.js';

/**
 * npx tsx bench/sql/read-path-cpu.ts — CPU per read in this process, no
 * HTTP: the minimal route's knex query (builder, sent prepared), the same
 * text through `knex.raw`, the same text on a pooled connection without
 * knex's runner, and the SQL store's get by id and `userName eq` search
 * (bench/mappings/postgres-bench.yaml). BENCH_USERS users (default 20,000)
 * in a throw-away PostgreSQL database; 8 concurrent callers; interleaved
 * rounds. What it separates is knex's share of a read (builder, runner)
 * from the store's own, which the HTTP benchmark cannot.
 */
const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const CONCURRENCY = 8;

const database = await createDatabase(PG_SERVER);
process.env.BENCH_PG_DATABASE = database.name;
const db = connect(PG_SERVER, database.name, 10);
try {
  await loadData(db, USERS, Math.floor(USERS / 10));
  const sample = await sampleUsers(db, 2000);
  const user = (i: number) => sample[i % sample.length] as SampledUser;
  const store = await createStore(
    await loadMappingFile(new URL('../mappings/postgres-bench.yaml', import.meta.url).pathname),
  );
  // The minimal route's statement, compiled: the user-queries functions hand back knex builders.
  const compiled = (userWithChildrenById(db, '', true) as unknown as Knex.QueryBuilder).toSQL();
  const text = compiled.sql;
  const client = db.client as {
    acquireConnection(): Promise<{ query(config: unknown): Promise<{ rows: unknown[] }> }>;
    releaseConnection(connection: unknown): unknown;
  };
  const positional = compiled.toNative().sql;
  const reads: Record<string, (i: number) => Promise<unknown>> = {
    'knex builder, prepared (the minimal route)': (i) => userWithChildrenById(db, user(i).id, true),
    'knex.raw, same text, prepared': (i) => db.raw(text, [user(i).id]).options({ name: 'raw_by_id' }),
    'pooled connection, no runner, prepared': async (i) => {
      const connection = await client.acquireConnection();
      try {
        return (await connection.query({ name: 'direct_by_id', text: positional, values: [user(i).id] }))
          .rows;
      } finally {
        client.releaseConnection(connection);
      }
    },
    'store get by id': (i) => store.get('User', user(i).id),
    'knex builder, userName, prepared (minimal)': (i) => userWithChildrenByName(db, user(i).user_name, true),
    'store search userName eq': (i) =>
      store.search('User', {
        filter: parseFilter(`userName eq "${user(i).user_name}"`),
        startIndex: 1,
        count: 100,
      }),
  };

  const cpuPerCall = async (read: (i: number) => Promise<unknown>, calls: number) => {
    const started = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < calls) await read(next++);
      }),
    );
    const used = process.cpuUsage(started);
    return (used.user + used.system) / calls;
  };
  for (const read of Object.values(reads)) await cpuPerCall(read, CALLS);
  const totals = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, read] of Object.entries(reads)) {
      totals.set(name, (totals.get(name) ?? 0) + (await cpuPerCall(read, CALLS)) / ROUNDS);
    }
  }
  for (const [name, micros] of totals)
    process.stdout.write(`${name.padEnd(44)} ${micros.toFixed(1).padStart(6)} µs CPU/call\n`);
  await store.close();
} finally {
  await db.destroy();
  await database.drop();
}
