import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const ADA = '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01';
const TOKEN = 'reload-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A private copy of the demo mapping (and its SQL files) that the test may rewrite. */
async function demoCopy(): Promise<{ dir: string; file: string; original: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-reload-'));
  dirs.push(dir);
  await cp(join(MAPPINGS, 'demo-sqlite'), join(dir, 'demo-sqlite'), { recursive: true });
  const file = join(dir, 'mapping.yaml');
  const original = await readFile(join(MAPPINGS, 'demo-sqlite.yaml'), 'utf8');
  await writeFile(file, original);
  return { dir, file, original };
}

async function titleOfAda(gateway: GatewayProcess): Promise<unknown> {
  const response = await fetch(`${gateway.baseUrl}/Users/${ADA}`, { headers: AUTH });
  expect(response.status).toBe(200);
  return ((await response.json()) as { title?: unknown }).title;
}

const rejected = (line: Record<string, unknown>) =>
  line.msg === 'mapping reload rejected; the previous mapping keeps serving';
const applied = (line: Record<string, unknown>) => line.msg === 'mapping reloaded';

describe('mapping hot reload (a real gateway process)', () => {
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    expect(await gateway?.stop()).toBe(0);
    gateway = undefined;
  });

  let copy: Awaited<ReturnType<typeof demoCopy>>;
  beforeEach(async () => {
    copy = await demoCopy();
  });

  it('on file change: an invalid mapping is rejected with its messages, a valid one takes over', async () => {
    gateway = await startGatewayProcess(['--mapping', copy.file], {
      CROSSWALK_TOKEN: TOKEN,
      CROSSWALK_SQLITE_FILE: join(copy.dir, 'demo.sqlite'),
    });
    expect(await titleOfAda(gateway)).toBe('Chief Engineer');

    // 1. Invalid: an attribute SCIM does not have. The old mapping keeps serving.
    const invalid = copy.original.replace(
      '      title: title\n',
      '      title: title\n      nickNameX: nick\n',
    );
    expect(invalid).not.toBe(copy.original);
    await writeFile(copy.file, invalid);
    const rejection = await gateway.waitForLog(rejected);
    expect(rejection.level).toBe(50);
    expect(rejection.tenant).toBe('default');
    const problems = rejection.problems as string[];
    expect(
      problems.some((problem) => problem.startsWith(`${copy.file}:`) && problem.includes('nickNameX')),
    ).toBe(true);
    expect(await titleOfAda(gateway)).toBe('Chief Engineer');

    // 2. Valid and different: SCIM title now goes through the uppercase transform.
    await writeFile(
      copy.file,
      copy.original.replace('      title: title\n', '      title: { column: title, transform: uppercase }\n'),
    );
    await gateway.waitForLog(applied);
    expect(await titleOfAda(gateway)).toBe('CHIEF ENGINEER');
    // Discovery follows the new mapping too, and writes go through the new store.
    const created = await fetch(`${gateway.baseUrl}/Users`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'after.reload@example.com', title: 'Ops' }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { title?: string }).title).toBe('OPS');

    const metrics = await (await fetch(`${gateway.origin}/metrics`)).text();
    expect(metrics).toMatch(/crosswalk_mapping_reloads_total\{tenant="default",result="rejected"\} 1/);
    expect(metrics).toMatch(/crosswalk_mapping_reloads_total\{tenant="default",result="applied"\} 1/);
  }, 60_000);

  it('on SIGHUP (watching off): reloads; a changed set of resource types is refused', async () => {
    gateway = await startGatewayProcess(['--mapping', copy.file], {
      CROSSWALK_TOKEN: TOKEN,
      CROSSWALK_SQLITE_FILE: join(copy.dir, 'demo.sqlite'),
      CROSSWALK_WATCH_MAPPINGS: 'false',
    });
    await writeFile(
      copy.file,
      copy.original.replace('      title: title\n', '      title: { column: title, transform: uppercase }\n'),
    );
    // Not watching: nothing changes until the signal.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await titleOfAda(gateway)).toBe('Chief Engineer');
    gateway.child.kill('SIGHUP');
    await gateway.waitForLog(applied);
    expect(await titleOfAda(gateway)).toBe('CHIEF ENGINEER');

    // Dropping the Group resource type would leave routes without a mapping: refused, old one serves.
    const withoutGroups = copy.original.slice(0, copy.original.indexOf('  Group:\n'));
    await writeFile(copy.file, withoutGroups);
    gateway.child.kill('SIGHUP');
    const rejection = await gateway.waitForLog(rejected);
    expect((rejection.problems as string[]).join('\n')).toMatch(/resource types changed.*needs a restart/);
    expect((await fetch(`${gateway.baseUrl}/Groups`, { headers: AUTH })).status).toBe(200);
  }, 60_000);
});
