import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SLAPD_CONFIG_DN,
  type SlapdInstance,
  STOCK_MEMBER_STORAGE,
  startSlapd,
} from '../../support/slapd.js';

const run = promisify(execFile);
const LDAPMODIFY = '/usr/bin/ldapmodify';
const LDAPSEARCH = '/usr/bin/ldapsearch';
const DOC = new URL('../../../docs/ldap.md', import.meta.url);

/** The cn=config LDIF docs/ldap.md tells operators to apply: the ldif blocks of "Large groups". */
async function documentedLdif(): Promise<string[]> {
  const text = await readFile(DOC, 'utf8');
  const start = text.indexOf('## Large groups');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```ldif\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0) throw new Error('docs/ldap.md has no ldif block under "## Large groups"');
  return blocks;
}

const PEOPLE = 'ou=people,dc=example,dc=test';
const GROUP = 'cn=imported,ou=groups,dc=example,dc=test';
const MEMBERS = 150;
const uid = (n: number) => `imported${String(n).padStart(3, '0')}`;
const userDn = (n: number) => `uid=${uid(n)},${PEOPLE}`;

/**
 * Users and a group holding 150 of them in descending order, as an existing
 * directory would have it (slapadd runs no overlay: memberOf is in the LDIF).
 */
function existingGroupLdif(): string {
  const users = Array.from({ length: MEMBERS + 1 }, (_, i) => {
    const memberOf = i < MEMBERS ? `memberOf: ${GROUP}\n` : '';
    return `\ndn: ${userDn(i + 1)}\nobjectClass: inetOrgPerson\nuid: ${uid(i + 1)}\ncn: x\nsn: x\n${memberOf}`;
  });
  const members = Array.from({ length: MEMBERS }, (_, i) => `member: ${userDn(MEMBERS - i)}`);
  return `${users.join('')}\ndn: ${GROUP}\nobjectClass: groupOfNames\ncn: imported\n${members.join('\n')}\n`;
}

let slapd: SlapdInstance;
beforeAll(async () => {
  for (const tool of [LDAPMODIFY, LDAPSEARCH])
    if (!existsSync(tool)) throw new Error(`${tool} is missing: run scripts/install-ldap-packages.sh`);
  // A directory as it was before the advice: stock storage, no member/memberOf index, run from cn=config.
  slapd = await startSlapd({
    memberStorage: STOCK_MEMBER_STORAGE,
    memberIndexes: false,
    configDatabase: true,
    extraLdif: existingGroupLdif(),
  });
});
afterAll(async () => {
  await slapd?.destroy();
});

const asConfigAdmin = () => ['-x', '-H', slapd.url, '-D', SLAPD_CONFIG_DN, '-w', slapd.configPassword ?? ''];

async function membersOf(dn: string): Promise<string[]> {
  const admin = await slapd.adminClient();
  try {
    const { searchEntries } = await admin.search(dn, { scope: 'base', attributes: ['member'] });
    const raw = searchEntries[0]?.member ?? [];
    return (Array.isArray(raw) ? raw : [raw]).map(String);
  } finally {
    await admin.unbind();
  }
}

describe("docs/ldap.md's large-group LDIF on a stock slapd run from cn=config", () => {
  it('applies with ldapmodify, online, and stays after slapindex and a restart', async () => {
    const blocks = await documentedLdif();
    expect(blocks).toHaveLength(2);
    for (const [index, ldif] of blocks.entries()) {
      const file = join(slapd.dataDir, '..', `large-groups-${index}.ldif`);
      await writeFile(file, ldif);
      await run(LDAPMODIFY, [...asConfigAdmin(), '-f', file]);
    }
    // The documented way to index existing entries for sure: stop, slapindex, start.
    await slapd.stop();
    await run('/usr/sbin/slapindex', [
      ...['-F', join(slapd.dataDir, '..', 'slapd.d'), '-b', 'dc=example,dc=test', '-q', 'member', 'memberOf'],
    ]);
    await slapd.start();
    const { stdout } = await run(LDAPSEARCH, [
      ...[...asConfigAdmin(), '-LLL', '-b', 'cn=config'],
      ...['(|(olcSortVals=*)(olcDbIndex=*))', 'olcSortVals', 'olcDbIndex'],
    ]);
    expect(stdout).toContain(
      'dn: olcDatabase={-1}frontend,cn=config\nolcSortVals: member\nolcSortVals: memberOf',
    );
    expect(stdout).toMatch(/^olcDbIndex: member eq$/m);
    expect(stdout).toMatch(/^olcDbIndex: memberOf eq$/m);
  });

  it('an existing group reads sorted at once, and its members are found by memberOf', async () => {
    const sorted = Array.from({ length: MEMBERS }, (_, i) => userDn(i + 1));
    // Loaded in descending order: slapd sorts the values of an entry written before sortvals at every read.
    expect(await membersOf(GROUP)).toEqual(sorted);
    const admin = await slapd.adminClient();
    try {
      await admin.modify(
        GROUP,
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [userDn(MEMBERS + 1)] }),
        }),
      );
      const { searchEntries } = await admin.search(PEOPLE, {
        scope: 'one',
        filter: `(memberOf=${GROUP})`,
        attributes: ['1.1'],
      });
      expect(searchEntries).toHaveLength(MEMBERS + 1);
    } finally {
      await admin.unbind();
    }
    expect(await membersOf(GROUP)).toEqual([...sorted, userDn(MEMBERS + 1)]);
  });
});
