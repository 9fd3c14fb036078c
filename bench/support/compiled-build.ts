import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The servers under test (the gateway, the minimal routes) run as compiled
 * JavaScript with plain `node`, as the gateway runs in production
 * (`node dist/cli.js`, see the Dockerfile) — not through tsx, the
 * development runner, which compiles each file on the fly with esbuild
 * (`keepNames`: every closure renames itself as it is created). Measured
 * side by side on PostgreSQL the difference was small — 0–7% of the
 * gateway's CPU per request, within this machine's noise — but what is
 * measured should be what is shipped.
 *
 * A checkout is compiled once per benchmark process: `tsc` with the
 * checkout's own tsconfig.json into `<checkout>/.bench-build/`, with the
 * folders the code reads at run time (`schema/`, `mappings/`) linked beside
 * it, so paths relative to a module resolve as they do from `dist/`.
 */
const BUILD_DIR = '.bench-build';
const builds = new Map<string, Promise<string>>();

async function compile(root: string): Promise<string> {
  const out = join(root, BUILD_DIR);
  await rm(out, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out, '--sourceMap', 'false'],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  await mkdir(out, { recursive: true });
  for (const folder of ['schema', 'mappings']) {
    if (existsSync(join(root, folder))) await symlink(join('..', folder), join(out, folder));
  }
  return out;
}

/** The checkout a script of `bench/` belongs to. */
function checkoutOf(script: string): string {
  const at = resolve(script).lastIndexOf('/bench/');
  if (at < 0) throw new Error(`${script} is not a file under a checkout's bench/`);
  return resolve(script).slice(0, at);
}

/** The compiled JavaScript of `script` (a .ts file under some checkout's bench/), compiling that checkout first. */
export async function compiledScript(script: string): Promise<string> {
  const root = checkoutOf(script);
  let build = builds.get(root);
  if (build === undefined) {
    build = compile(root);
    builds.set(root, build);
  }
  const out = await build;
  return join(out, relative(root, resolve(script))).replace(/\.ts$/, '.js');
}
