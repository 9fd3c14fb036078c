import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
 * How slapd stores `member` / `memberOf`: docs/ldap.md "Large groups".
 * - `tuned` (what we recommend): `sortvals` keeps the values sorted (a value
 *   is found by binary search, not by comparing it with every other), and
 *   back-mdb's `multival` stores an attribute of more than `hi` values in a
 *   table of its own, one record per value, so adding a member writes that
 *   value instead of rewriting the whole group entry.
 * - `stock`: neither, values in the order they were added, in the entry.
 */
export type MemberStorage =
  | { readonly kind: 'tuned'; readonly multivalHi: number; readonly multivalLo: number }
  | { readonly kind: 'stock' };

/** docs/ldap.md's thresholds: groups up to 100 members stay in the entry, above it they move out. */
export const RECOMMENDED_MEMBER_STORAGE: MemberStorage = { kind: 'tuned', multivalHi: 100, multivalLo: 10 };

/**
 * The tests' default: the recommended directives with thresholds so low that
 * a group of more than 2 values (the empty-DN placeholder counts) lives in the
 * separate table and moves back below 2, so the tests go through the path a
 * large group takes (value order, placeholder, refint renames and deletes,
 * memberof).
 */
export const TEST_MEMBER_STORAGE: MemberStorage = { kind: 'tuned', multivalHi: 2, multivalLo: 2 };

const DN_LISTS = ['member', 'memberOf'];

function sortvalsLine(storage: MemberStorage): string {
  return storage.kind === 'tuned' ? `sortvals ${DN_LISTS.join(' ')}\n` : '';
}

function multivalLine(storage: MemberStorage): string {
  return storage.kind === 'tuned'
    ? `multival ${DN_LISTS.join(',')} ${storage.multivalHi},${storage.multivalLo}\n`
    : '';
}

function slapdConf(dir: string, rootPassword: string, maxSizeBytes: number, storage: MemberStorage): string {
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
database mdb
suffix "${SLAPD_SUFFIX}"
rootdn "${SLAPD_ROOT_DN}"
rootpw ${rootPassword}
directory ${dir}/data
maxsize ${maxSizeBytes}
${multivalLine(storage)}index objectClass eq
index uid,cn,mail,sn,givenName eq,sub
index entryUUID eq
index member eq
limits dn.exact="${SLAPD_SERVICE_DN}" size=unlimited time=unlimited
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
 * may write everything. `memberStorage` defaults to TEST_MEMBER_STORAGE.
 * Call destroy() in afterAll.
 */
export async function startSlapd(
  options: { extraLdif?: string; maxSizeBytes?: number; memberStorage?: MemberStorage } = {},
): Promise<SlapdInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-slapd-'));
  await mkdir(join(dir, 'data'));
  const rootPassword = 'admin-secret';
  const servicePassword = 'service-secret';
  const conf = join(dir, 'slapd.conf');
  // 256 MiB holds the tests' data; the benchmark's 100,000 users need more.
  const memberStorage = options.memberStorage ?? TEST_MEMBER_STORAGE;
  await writeFile(conf, slapdConf(dir, rootPassword, options.maxSizeBytes ?? 268_435_456, memberStorage));
  const ldif = join(dir, 'base.ldif');
  await writeFile(ldif, baseLdif(servicePassword) + (options.extraLdif ?? ''));
  // slapadd runs without the overlays' runtime help, which is what seeding needs.
  try {
    await run('/usr/sbin/slapadd', ['-f', conf, '-l', ldif, '-q']);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    // -d 0 keeps slapd in the foreground so it dies with us and we hold its pid.
    const proc = spawn(SLAPD_BINARY, ['-f', conf, '-h', `${url}/`, '-d', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
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
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async adminClient() {
      const client = new Client({ url, timeout: 10_000 });
      await client.bind(SLAPD_ROOT_DN, rootPassword);
      return client;
    },
  };
}
