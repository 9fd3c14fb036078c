import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { DEMO_MAPPING } from './support/demo-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crosswalk-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process and captures what it prints. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  const previous = process.env.CROSSWALK_SQLITE_FILE;
  process.env.CROSSWALK_SQLITE_FILE = join(dir, 'explain.sqlite');
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    if (previous === undefined) delete process.env.CROSSWALK_SQLITE_FILE;
    else process.env.CROSSWALK_SQLITE_FILE = previous;
  }
}

describe('crosswalk (in-process)', () => {
  it.each([
    [[]],
    [['frobnicate']],
    [['serve', '--no-such-flag']],
    [['validate']],
    [['explain', DEMO_MAPPING]],
  ])('usage errors exit 2: %j', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Usage:');
  });

  it('validate: ok for the demo mapping', async () => {
    expect(await run(['validate', DEMO_MAPPING])).toEqual({ code: 0, out: 'ok\n', err: '' });
  });

  it('validate: file:line:col: message for a broken mapping, exit 1', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(
      broken,
      [
        'version: 1',
        'backend:',
        '  type: sql',
        '  dialect: sqlite',
        '  connection: { filename: x.sqlite }',
        'resources:',
        '  User:',
        '    table: users',
        '    id: { column: id, generate: uuid }',
        '    attributes:',
        '      nickNameX: nick',
        '',
      ].join('\n'),
    );
    const result = await run(['validate', broken]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: .+`, 'm'),
    );
  });

  it('explain prints the backend query with bound values separate', async () => {
    const result = await run(['explain', DEMO_MAPPING, 'userName eq "ada" and active eq true']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/select/i);
    expect(result.out).toContain('ada');
  });

  it('explain: an unknown attribute is reported, exit 1', async () => {
    const result = await run(['explain', DEMO_MAPPING, 'nickName eq "x"']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('invalidFilter');
  });

  it('explain: --resource picks the resource type', async () => {
    const result = await run([
      'explain',
      DEMO_MAPPING,
      'displayName eq "Engineering"',
      '--resource',
      'Group',
    ]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/groups/);
  });
});

describe('crosswalk serve (real process)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
  });

  it('serves the demo, prints the base URL, honours CROSSWALK_TOKEN', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CROSSWALK_TOKEN: 'serve-test-token',
        CROSSWALK_SQLITE_FILE: join(dir, 'serve.sqlite'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no base URL printed: ${output}`)), 20_000);
      child?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /SCIM base URL: (\S+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child?.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child?.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(output).not.toContain('serve-test-token');

    const denied = await fetch(`${baseUrl}/Users`);
    expect(denied.status).toBe(401);
    const listed = await fetch(`${baseUrl}/Users`, { headers: { authorization: 'Bearer serve-test-token' } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { totalResults: number }).totalResults).toBe(3);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) =>
      child?.on('exit', (exitCode) => resolve(exitCode)),
    );
    expect(code).toBe(0);
  });
});
