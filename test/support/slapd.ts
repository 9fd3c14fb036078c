import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';

const run = promisify(execFile);

export const SLAPD_BINARY = '/usr/sbin/slapd';
export const SLAPD_AVAILABLE = existsSync(SLAPD_BINARY) && existsSync('/usr/lib/ldap/sssvlv.so');

export const SLAPD_SUFFIX = 'dc=example,dc=test';
export const SLAPD_ROOT_DN = `cn=admin,${SLAPD_SUFFIX}`;
export const SLAPD_SERVICE_DN = `cn=crosswalk,ou=service,${SLAPD_SUFFIX}`;

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SlapdInstance {
  readonly url: string;
  readonly port: number;
  readonly suffix: string;
  readonly rootDn: string;
  readonly rootPassword: string;
  readonly serviceDn: string;
  readonly servicePassword: string;
  /** How member/memberOf are stored (the option it was started with). */
  readonly memberStorage: MemberStorage;
  /** The back-mdb folder (data.mdb), for tests that look at the storage itself. */
  readonly dataDir: string;
  /** With `configDatabase: true`: cn=config's password (bind as SLAPD_CONFIG_DN), changes persisted in slapd.d. */
  readonly configPassword?: string;
  /** Stops the server, keeps the data (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
  /** An admin client (rootdn), bound; the caller unbinds. */
  adminClient(): Promise<Client>;
}

/**
 * How slapd stores `member` / `memberOf` (docs/ldap.md "Large groups").
 * - `sortvals` keeps the values sorted, so a value is found by binary search
 *   instead of being compared with every other one (filters such as
 *   `(member=…)`, and a modify's duplicate / existence checks).
 * - back-mdb's `multival` stores an attribute of more than `hi` values in a
 *   table of its own (id2v), one record per value, and merges it back into
 *   the entry below `lo`. Measured, not recommended: on slapd 2.5 it makes
 *   every read of such an entry several times slower and no modify faster.
 * Stock slapd does neither: values in the order they were added, in the entry.
 */
export interface MemberStorage {
  readonly sortvals: boolean;
  readonly multival?: { readonly hi: number; readonly lo: number };
}

export const STOCK_MEMBER_STORAGE: MemberStorage = { sortvals: false };

/** What docs/ldap.md recommends, and what the tests run against unless they ask otherwise. */
export const RECOMMENDED_MEMBER_STORAGE: MemberStorage = { sortvals: true };

/** The recommended settings plus multival at the thresholds docs/ldap.md measured it with. */
export const MULTIVAL_MEMBER_STORAGE: MemberStorage = { sortvals: true, multival: { hi: 100, lo: 10 } };

const DN_LISTS = ['member', 'memberOf'];

function sortvalsLine(storage: MemberStorage): string {
  return storage.sortvals ? `sortvals ${DN_LISTS.join(' ')}\n` : '';
}

function multivalLine(storage: MemberStorage): string {
  const { multival } = storage;
  return multival === undefined ? '' : `multival ${DN_LISTS.join(',')} ${multival.hi},${multival.lo}\n`;
}

/** cn=config's own administrator, when a test asks for the config database. */
export const SLAPD_CONFIG_DN = 'cn=config';
const CONFIG_PASSWORD = 'config-secret';

function configDatabase(enabled: boolean): string {
  return enabled ? `database config\nrootdn "${SLAPD_CONFIG_DN}"\nrootpw ${CONFIG_PASSWORD}\n` : '';
}

function slapdConf(
  dir: string,
  rootPassword: string,
  maxSizeBytes: number,
  storage: MemberStorage,
  withConfigDatabase: boolean,
  memberIndexes: boolean,
): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload sssvlv
moduleload memberof
moduleload refint
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
sizelimit 500
${sortvalsLine(storage)}
${configDatabase(withConfigDatabase)}
database mdb
suffix "${SLAPD_SUFFIX}"
rootdn "${SLAPD_ROOT_DN}"
rootpw ${rootPassword}
directory ${dir}/data
maxsize ${maxSizeBytes}
${multivalLine(storage)}index objectClass eq
index uid,cn,mail,sn,givenName eq,sub
index entryUUID eq
${memberIndexes ? 'index member,memberOf eq\n' : ''}limits dn.exact="${SLAPD_SERVICE_DN}" size=unlimited time=unlimited
access to attrs=userPassword
  by dn.exact="${SLAPD_SERVICE_DN}" write
  by anonymous auth
  by * none
access to *
  by dn.exact="${SLAPD_SERVICE_DN}" write
  by * read

overlay sssvlv
sssvlv-max 64
sssvlv-maxperconn 64
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint true
overlay refint
refint_attributes member manager
refint_nothing ""
`;
}

function baseLdif(servicePassword: string): string {
  return `dn: ${SLAPD_SUFFIX}
objectClass: top
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=service,${SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: service

dn: ${SLAPD_SERVICE_DN}
objectClass: person
cn: crosswalk
sn: crosswalk
userPassword: ${servicePassword}

dn: ou=people,${SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: groups
`;
}

/**
 * Running slapds and folders of this process: killed and removed when it
 * exits without destroy() — after an uncaught exception, say.
 */
const running = new Set<ChildProcess>();
const folders = new Set<string>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function waitForBind(url: string, dn: string, password: string, deadline: number): Promise<void> {
  for (;;) {
    const client = new Client({ url, connectTimeout: 1000, timeout: 2000 });
    try {
      await client.bind(dn, password);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/**
 * A throw-away slapd (mdb, sssvlv, memberof, refint) in a temp folder on a
 * free port, seeded with ou=people, ou=groups and a service account that
 * may write everything. `memberStorage` defaults to RECOMMENDED_MEMBER_STORAGE.
 * `configDatabase: true` runs it as operators do, from a cn=config folder
 * (slapd.d, converted from the same slapd.conf) that a test may modify.
 * Call destroy() in afterAll.
 */
export async function startSlapd(
  options: {
    extraLdif?: string;
    maxSizeBytes?: number;
    memberStorage?: MemberStorage;
    configDatabase?: boolean;
    /** false: no equality index on member and memberOf (a directory before docs/ldap.md's advice). */
    memberIndexes?: boolean;
  } = {},
): Promise<SlapdInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-slapd-'));
  folders.add(dir);
  await mkdir(join(dir, 'data'));
  const rootPassword = 'admin-secret';
  const servicePassword = 'service-secret';
  const conf = join(dir, 'slapd.conf');
  // 256 MiB holds the tests' data; the benchmark's 100,000 users need more.
  const memberStorage = options.memberStorage ?? RECOMMENDED_MEMBER_STORAGE;
  const withConfig = options.configDatabase === true;
  await writeFile(
    conf,
    slapdConf(
      dir,
      rootPassword,
      options.maxSizeBytes ?? 268_435_456,
      memberStorage,
      withConfig,
      options.memberIndexes ?? true,
    ),
  );
  const ldif = join(dir, 'base.ldif');
  await writeFile(ldif, baseLdif(servicePassword) + (options.extraLdif ?? ''));
  // slapd.conf, or the cn=config folder converted from it (after slapadd: slaptest opens the database).
  const configArgs = withConfig ? ['-F', join(dir, 'slapd.d')] : ['-f', conf];
  try {
    // slapadd runs without the overlays' runtime help, which is what seeding needs.
    await run('/usr/sbin/slapadd', ['-f', conf, '-l', ldif, '-q']);
    if (withConfig) {
      await mkdir(join(dir, 'slapd.d'));
      await run('/usr/sbin/slaptest', ['-f', conf, '-F', join(dir, 'slapd.d')]);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    folders.delete(dir);
    throw err;
  }
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    // -d 0 keeps slapd in the foreground, so we hold its pid; `running` kills it when we exit.
    const proc = spawn(SLAPD_BINARY, [...configArgs, '-h', `${url}/`, '-d', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child = proc;
    try {
      await waitForBind(url, SLAPD_ROOT_DN, rootPassword, Date.now() + 15_000);
    } catch (err) {
      proc.kill('SIGKILL');
      throw new Error(`slapd did not start: ${stderr}`, { cause: err });
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  await start();
  return {
    url,
    port,
    suffix: SLAPD_SUFFIX,
    rootDn: SLAPD_ROOT_DN,
    rootPassword,
    serviceDn: SLAPD_SERVICE_DN,
    servicePassword,
    memberStorage,
    dataDir: join(dir, 'data'),
    ...(withConfig ? { configPassword: CONFIG_PASSWORD } : {}),
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
      folders.delete(dir);
    },
    async adminClient() {
      const client = new Client({ url, timeout: 10_000 });
      await client.bind(SLAPD_ROOT_DN, rootPassword);
      return client;
    },
  };
}
