import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';

const run = promisify(execFile);

const SAMBA_TOOL = '/usr/bin/samba-tool';
const SAMBA = '/usr/sbin/samba';
/** samba-tool's own interpreter: the `samba` Python bindings live in Debian's python3, not in a pyenv one. */
const PYTHON = '/usr/bin/python3';
const OPENSSL = '/usr/bin/openssl';

export const SAMBA_AD_AVAILABLE =
  existsSync(SAMBA_TOOL) && existsSync(SAMBA) && existsSync(PYTHON) && existsSync(OPENSSL);

export const SAMBA_REALM = 'EXAMPLE.TEST';
export const SAMBA_DOMAIN = 'EXAMPLE';
export const SAMBA_BASE_DN = 'DC=example,DC=test';
const HOST_NAME = 'DC1';
const ADMIN_PASSWORD = 'Adm1n-Secret-Pw!';
const SERVICE_PASSWORD = 'Svc-Scim-Secret-9!';

/** A bulk of plain users and one group holding all of them (range retrieval tests). */
export interface BulkGroupSeed {
  /** cn of the group, created under OU=Groups. */
  readonly group: string;
  /** Users `<prefix>0…` created under OU=Staff, all members of the group. */
  readonly userPrefix: string;
  readonly members: number;
}

export interface SambaAdOptions {
  readonly bulkGroups?: readonly BulkGroupSeed[];
  /**
   * false: the domain drops the "3 of 4 character classes" complexity rule
   * (length and history still apply), for suites replaying vendor samples
   * such as Okta's password "1mz050nq".
   */
  readonly passwordComplexity?: boolean;
}

export interface SambaAdInstance {
  /** The loopback address this DC listens on (127.x.y.z: Samba serves only ports 389/636). */
  readonly host: string;
  readonly ldapUrl: string;
  readonly ldapsUrl: string;
  /** PEM file of the CA that signed the DC's certificate (subjectAltName IP:host). */
  readonly caFile: string;
  readonly baseDn: string;
  readonly usersBase: string;
  readonly groupsBase: string;
  readonly adminDn: string;
  readonly adminPassword: string;
  /** A Domain Admins member the gateway binds as (CN=svc-scim,OU=Service,…). */
  readonly serviceDn: string;
  readonly servicePassword: string;
  /** How long provisioning + seeding + first start took, in ms. */
  readonly startupMs: number;
  /** Stops the server, keeps the data (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again with the same data and address. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the DC still accepts TCP connections but answers nothing (timeout tests). */
  freeze(): void;
  thaw(): void;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
  /** An Administrator client over LDAPS, bound; the caller unbinds. */
  adminClient(): Promise<Client>;
}

/** Whether something already listens on host:port (a system slapd/samba on 0.0.0.0:389 would block us). */
function portTaken(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(true);
      else reject(new Error(`Cannot listen on ${host}:${port} (${err.code}); Samba AD tests run as root`));
    });
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

/**
 * A loopback address of its own: Samba's LDAP server has no port setting, so
 * instances (parallel test files) are told apart by address, not port. Linux
 * routes all of 127.0.0.0/8 to `lo`, so any of them can be bound without setup.
 */
async function freeLoopbackAddress(): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const host = `127.${randomInt(100, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    if (!(await portTaken(host, 389)) && !(await portTaken(host, 636))) return host;
  }
  throw new Error(
    'No loopback address with free ports 389/636: is a system slapd or samba listening on 0.0.0.0:389? Stop it.',
  );
}

/** A throw-away CA and a server certificate for `host` (subjectAltName IP), so clients verify hostnames. */
async function makeCertificates(dir: string, host: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(OPENSSL, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Crosswalk test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run(OPENSSL, [
    'req',
    ...ec,
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'server.csr'),
    '-subj',
    `/CN=${HOST_NAME.toLowerCase()}.${SAMBA_REALM.toLowerCase()}`,
  ]);
  await writeFile(
    join(dir, 'server.ext'),
    `subjectAltName=IP:${host},DNS:${HOST_NAME.toLowerCase()}.${SAMBA_REALM.toLowerCase()}\nextendedKeyUsage=serverAuth\n`,
  );
  await run(OPENSSL, [
    'x509',
    '-req',
    '-in',
    join(dir, 'server.csr'),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '2',
    '-extfile',
    join(dir, 'server.ext'),
  ]);
}

/**
 * Seeding through Samba's own Python bindings while the server is stopped.
 * `base` (in the template): the OUs and the service account. `bulk`: users
 * and a group holding all of them, in ONE ldb transaction — about 4 ms a user
 * instead of ~15 ms for an LDAP add on a single-process Samba.
 */
const SEED_SCRIPT = `
import json, sys
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
import ldb

spec = json.load(open(sys.argv[2]))
lp = LoadParm()
lp.load(sys.argv[1])
db = SamDB(url=lp.private_path('sam.ldb'), session_info=system_session(), lp=lp)
base = str(db.domain_dn())
if spec.get('servicePassword'):
    for ou in ('Staff', 'Groups', 'Service'):
        db.add({'dn': 'OU=%s,%s' % (ou, base), 'objectClass': 'organizationalUnit'})
    db.newuser('svc-scim', spec['servicePassword'], userou='OU=Service')
    db.add_remove_group_members('Domain Admins', ['svc-scim'], add_members_operation=True)
if spec.get('pwdProperties') is not None:
    m = ldb.Message()
    m.dn = ldb.Dn(db, base)
    m['pwdProperties'] = ldb.MessageElement(str(spec['pwdProperties']), ldb.FLAG_MOD_REPLACE, 'pwdProperties')
    db.modify(m)
db.transaction_start()
try:
    for bulk in spec.get('bulkGroups', []):
        dns = []
        for i in range(bulk['members']):
            name = '%s%d' % (bulk['userPrefix'], i)
            dn = 'CN=%s,OU=Staff,%s' % (name, base)
            db.add({'dn': dn, 'objectClass': ['top', 'person', 'organizationalPerson', 'user'],
                    'sAMAccountName': name, 'displayName': name})
            dns.append(dn)
        db.add({'dn': 'CN=%s,OU=Groups,%s' % (bulk['group'], base), 'objectClass': ['top', 'group'],
                'sAMAccountName': bulk['group'], 'member': dns})
except Exception:
    db.transaction_cancel()
    raise
db.transaction_commit()
`;

async function seed(dir: string, spec: object): Promise<void> {
  const script = join(dir, 'seed.py');
  const specFile = join(dir, 'seed.json');
  await writeFile(script, SEED_SCRIPT);
  await writeFile(specFile, JSON.stringify(spec));
  await run(PYTHON, [script, join(dir, 'etc', 'smb.conf'), specFile], { maxBuffer: 16 * 1024 * 1024 });
}

/** A provisioned, base-seeded domain in `dir` (about 5 s of CPU: done once per test run, see below). */
async function provision(dir: string): Promise<void> {
  await run(
    SAMBA_TOOL,
    [
      'domain',
      'provision',
      `--realm=${SAMBA_REALM}`,
      `--domain=${SAMBA_DOMAIN}`,
      `--host-name=${HOST_NAME}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      `--adminpass=${ADMIN_PASSWORD}`,
      `--targetdir=${dir}`,
      '--option=interfaces=127.0.0.1/8',
      '--option=bind interfaces only=yes',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  await seed(dir, { servicePassword: SERVICE_PASSWORD });
}

/** Set by test/support/samba-template.global-setup.ts: a folder that lives as long as the test run. */
export const SAMBA_TEMPLATE_ENV = 'CROSSWALK_SAMBA_TEMPLATE_DIR';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The run's provisioned template, made by the first test file that needs
 * it (a mkdir lock keeps parallel workers from provisioning twice). Only
 * smb.conf holds absolute paths, so an instance is a copy plus a rewrite.
 * Without the global setup every instance provisions its own domain.
 */
async function templateDomain(): Promise<string | undefined> {
  const root = process.env[SAMBA_TEMPLATE_ENV];
  if (root === undefined || root === '') return undefined;
  const template = join(root, 'domain');
  const ready = join(root, 'ready');
  const lock = join(root, 'lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (existsSync(ready)) return template;
    try {
      await mkdir(lock);
    } catch {
      const owner = Number.parseInt(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && !alive(owner)) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the Samba template in ${root}`);
      await sleep(250);
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      if (!existsSync(ready)) {
        await rm(template, { recursive: true, force: true });
        await mkdir(template);
        await provision(template);
        await writeFile(ready, '');
      }
      return template;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** Only what the tests use: the LDAP server, our certificate, simple binds also over plain ldap://. */
function smbConfExtras(dir: string, host: string): Record<string, string> {
  return {
    // IP/mask: Samba matches it against `lo` (127.0.0.1/8) and listens on this very address.
    interfaces: `${host}/8`,
    'bind interfaces only': 'yes',
    'server services': 'ldap',
    // Plain ldap:// binds are allowed so tests can show the gateway refuses to send passwords there.
    'ldap server require strong auth': 'no',
    'tls enabled': 'yes',
    'tls keyfile': join(dir, 'tls', 'key.pem'),
    'tls certfile': join(dir, 'tls', 'cert.pem'),
    'tls cafile': join(dir, 'tls', 'ca.pem'),
    'log file': join(dir, 'log.samba'),
    'pid directory': join(dir, 'run'),
    // No fsync per transaction: a throw-away DC.
    'ldb:nosync': 'true',
  };
}

/** smb.conf of a copied domain: paths moved from `from` to `to`, our settings in [global]. */
async function rewriteSmbConf(
  path: string,
  from: string,
  to: string,
  extras: Record<string, string>,
): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split(from).join(to).split('\n');
  const names = new Set(Object.keys(extras).map((name) => name.toLowerCase()));
  const kept = lines.filter((line) => {
    const name = /^\s*([^=[\]]+?)\s*=/.exec(line)?.[1]?.toLowerCase();
    return name === undefined || !names.has(name);
  });
  const globalAt = kept.findIndex((line) => line.trim().toLowerCase() === '[global]');
  const added = Object.entries(extras).map(([name, value]) => `\t${name} = ${value}`);
  kept.splice(globalAt + 1, 0, ...added);
  await writeFile(path, kept.join('\n'));
}

async function waitForLdaps(url: string, ca: string, dn: string, password: string, deadline: number) {
  for (;;) {
    const client = new Client({ url, connectTimeout: 1000, timeout: 3000, tlsOptions: { ca } });
    try {
      await client.bind(dn, password);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 150));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/**
 * A throw-away Samba AD domain controller: a provisioned domain (no DNS)
 * copied into a temp folder, seeded with OU=Staff, OU=Groups, OU=Service and
 * a service account, serving LDAP and LDAPS (our own CA) on a loopback
 * address of its own. Call destroy() in afterAll.
 *
 * `samba -i` exits when its stdin closes, so a test process that dies takes
 * its DC with it; `--maximum-runtime` is a last resort.
 */
export async function startSambaAd(options: SambaAdOptions = {}): Promise<SambaAdInstance> {
  const began = Date.now();
  const host = await freeLoopbackAddress();
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-samba-'));
  const conf = join(dir, 'etc', 'smb.conf');
  try {
    const template = await templateDomain();
    if (template === undefined) {
      await provision(dir);
      await rewriteSmbConf(conf, dir, dir, smbConfExtras(dir, host));
    } else {
      await cp(template, dir, { recursive: true, preserveTimestamps: true });
      await rewriteSmbConf(conf, template, dir, smbConfExtras(dir, host));
    }
    await mkdir(join(dir, 'tls'), { recursive: true });
    await mkdir(join(dir, 'run'), { recursive: true });
    await makeCertificates(join(dir, 'tls'), host);
    const complexity = options.passwordComplexity ?? true;
    if ((options.bulkGroups ?? []).length > 0 || !complexity) {
      await seed(dir, { bulkGroups: options.bulkGroups ?? [], ...(complexity ? {} : { pwdProperties: 0 }) });
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const detail = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`Samba AD provisioning failed: ${detail.slice(-4000)}`, { cause: err });
  }

  const caFile = join(dir, 'tls', 'ca.pem');
  const ca = await readFile(caFile, 'utf8');
  const ldapsUrl = `ldaps://${host}:636`;
  const adminDn = `CN=Administrator,CN=Users,${SAMBA_BASE_DN}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const proc = spawn(SAMBA, ['-s', conf, '-i', '-M', 'single', '--maximum-runtime=3600'], {
      // stdin stays open: samba -i exits on EOF, i.e. when this process goes away.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    child = proc;
    try {
      await waitForLdaps(ldapsUrl, ca, adminDn, ADMIN_PASSWORD, Date.now() + 60_000);
    } catch (err) {
      proc.kill('SIGKILL');
      throw new Error(`samba did not start on ${host}: ${output}`, { cause: err });
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  try {
    await start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host,
    ldapUrl: `ldap://${host}:389`,
    ldapsUrl,
    caFile,
    baseDn: SAMBA_BASE_DN,
    usersBase: `OU=Staff,${SAMBA_BASE_DN}`,
    groupsBase: `OU=Groups,${SAMBA_BASE_DN}`,
    adminDn,
    adminPassword: ADMIN_PASSWORD,
    serviceDn: `CN=svc-scim,OU=Service,${SAMBA_BASE_DN}`,
    servicePassword: SERVICE_PASSWORD,
    startupMs: Date.now() - began,
    start,
    stop,
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async destroy() {
      child?.kill('SIGCONT');
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async adminClient() {
      const client = new Client({ url: ldapsUrl, timeout: 15_000, tlsOptions: { ca } });
      await client.bind(adminDn, ADMIN_PASSWORD);
      return client;
    },
  };
}
