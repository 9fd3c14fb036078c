import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHttpLoad } from '../support/run-load.js';
import { usersPath } from '../support/scim-client.js';
import { startServerProcess } from '../support/server-process.js';
import { connect, createDatabase, loadData, PG_SERVER, sampleUsers, serverEnv } from './pg-database.js';

/**
 * npm run bench:profile -- [byId|userName] — where the gateway's CPU goes.
 * Loads BENCH_USERS (default 20,000) users into a throw-away PostgreSQL
 * database, runs the gateway under `node --cpu-prof`, drives BENCH_DURATION
 * seconds (default 10) of one request shape at it, and prints the functions
 * with the most self time and the source files with the most. The
 * .cpuprofile stays in the printed folder (Chrome DevTools opens it).
 */
const shape = process.argv[2] ?? 'byId';
const users = Number(process.env.BENCH_USERS ?? 20_000);
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const token = randomBytes(16).toString('hex');
const database = await createDatabase(PG_SERVER);
const db = connect(PG_SERVER, database.name, 2);
try {
  await loadData(db, users, Math.floor(users / 2));
  const sample = await sampleUsers(db, 2000);
  const paths = sample.map((row) =>
    shape === 'userName'
      ? usersPath({ filter: `userName eq "${row.user_name}"` })
      : `/scim/v2/Users/${row.id}`,
  );
  const profileDir = await mkdtemp(join(tmpdir(), 'crosswalk-profile-'));
  const gateway = await startServerProcess(
    fileURLToPath(new URL('../support/gateway-server.ts', import.meta.url)),
    {
      BENCH_MAPPING: fileURLToPath(new URL('../mappings/postgres-bench.yaml', import.meta.url)),
      BENCH_TOKEN: token,
      ...serverEnv(PG_SERVER, database.name),
    },
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  );
  const outcome = await runHttpLoad({
    origin: gateway.origin,
    method: 'GET',
    paths,
    headers: { authorization: `Bearer ${token}` },
    connections: 16,
    warmupSeconds: 2,
    durationSeconds: seconds,
  });
  process.stdout.write(
    `${shape}: ${outcome.requestsPerSecond.toFixed(0)} req/s, ${outcome.failures} failed\n`,
  );
  // SIGTERM: the gateway exits, and node writes the profile.
  await gateway.stop();
  const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('no profile written');
  summarise(JSON.parse(await readFile(join(profileDir, file), 'utf8')) as CpuProfile);
  process.stdout.write(`profile: ${join(profileDir, file)}\n`);
} finally {
  await db.destroy();
  await database.drop();
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // Inclusive time per source area: a sample counts once for every area on its stack.
  const inclusive = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id)?.callFrame;
    // Idle time is the process waiting, not CPU.
    if (frame === undefined || frame.functionName === '(idle)') return;
    total += delta;
    const file = frame.url.replace(/^.*\/(node_modules|src)\//, '$1/') || '(native)';
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + delta);
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + delta);
    const areas = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      const area = /\/src\/(.*)$/.exec(url)?.[1] ?? /\/node_modules\/([^/]+)\//.exec(url)?.[1];
      if (area !== undefined) areas.add(area);
    }
    for (const area of areas) inclusive.set(area, (inclusive.get(area) ?? 0) + delta);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  process.stdout.write(`\nself time by function:\n${top(selfByFunction, 40)}\n`);
  process.stdout.write(`\nself time by file:\n${top(selfByFile, 25)}\n`);
  process.stdout.write(`\ninclusive time by source file or package:\n${top(inclusive, 50)}\n`);
}
