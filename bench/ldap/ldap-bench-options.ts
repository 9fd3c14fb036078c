import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type MemberStorage,
  MULTIVAL_MEMBER_STORAGE,
  RECOMMENDED_MEMBER_STORAGE,
  STOCK_MEMBER_STORAGE,
} from '../../test/support/slapd.js';

/** BENCH_LDAP_MEMBER_STORAGE's choices (test/support/slapd.ts, docs/ldap.md "Large groups"). */
const MEMBER_STORAGES: Readonly<Record<string, MemberStorage>> = {
  recommended: RECOMMENDED_MEMBER_STORAGE,
  stock: STOCK_MEMBER_STORAGE,
  multival: MULTIVAL_MEMBER_STORAGE,
};

/** The groups of scenarios of `npm run bench:ldap`, in the order they run. */
export const LDAP_SCENARIOS = ['users', 'pages', 'group-lookup', 'member-add'] as const;
export type LdapScenario = (typeof LDAP_SCENARIOS)[number];

export interface LdapBenchOptions {
  /** BENCH_LDAP_SCENARIOS=group-lookup,member-add runs only those (default: all). */
  readonly scenarios: ReadonlySet<LdapScenario>;
  /** A full run publishes bench/results/openldap.json; a partial one only prints. */
  readonly complete: boolean;
  /**
   * BENCH_LDAP_MEMBER_STORAGE=recommended (default: docs/ldap.md's sortvals for
   * member/memberOf), stock (none) or multival (sortvals + back-mdb multival 100,10).
   */
  readonly memberStorage: MemberStorage;
  readonly memberStorageName: string;
  /**
   * BENCH_GATEWAY_CPU_PROFILE=<folder>: the gateway runs with cpu-profile-preload.mjs and
   * writes a .cpuprofile there when it stops (the environment to add to the gateway's).
   */
  readonly gatewayProfileEnv?: Readonly<Record<string, string>>;
}

export function ldapBenchOptions(env: NodeJS.ProcessEnv = process.env): LdapBenchOptions {
  const raw = (env.BENCH_LDAP_SCENARIOS ?? '').trim();
  const asked = raw === '' ? [...LDAP_SCENARIOS] : raw.split(',').map((name) => name.trim());
  const unknown = asked.filter((name) => !(LDAP_SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_LDAP_SCENARIOS: unknown ${unknown.join(', ')} (known: ${LDAP_SCENARIOS.join(', ')})`,
    );
  const scenarios = new Set(asked as LdapScenario[]);
  const storageName = (env.BENCH_LDAP_MEMBER_STORAGE ?? 'recommended').trim();
  const memberStorage = MEMBER_STORAGES[storageName];
  if (memberStorage === undefined)
    throw new Error(
      `BENCH_LDAP_MEMBER_STORAGE must be one of ${Object.keys(MEMBER_STORAGES).join(', ')}, not '${storageName}'`,
    );
  const profileDir = env.BENCH_GATEWAY_CPU_PROFILE?.trim();
  return {
    scenarios,
    complete: scenarios.size === LDAP_SCENARIOS.length,
    memberStorage,
    memberStorageName: storageName,
    ...(profileDir === undefined || profileDir === ''
      ? {}
      : {
          gatewayProfileEnv: {
            NODE_OPTIONS: `--import ${fileURLToPath(new URL('./cpu-profile-preload.mjs', import.meta.url))}`,
            CPU_PROFILE_DIR: resolve(profileDir),
          },
        }),
  };
}
