import { SLAPD_SUFFIX } from '../../test/support/slapd.js';

export const PEOPLE = `ou=people,${SLAPD_SUFFIX}`;
export const GROUPS = `ou=groups,${SLAPD_SUFFIX}`;
export const BIG_GROUP = 'bench-big';
export const SMALL_GROUP = 'bench-small';

export const userName = (n: number) => `user${String(n).padStart(6, '0')}`;
export const userDn = (n: number) => `uid=${userName(n)},${PEOPLE}`;
export const groupDn = (name: string) => `cn=${name},${GROUPS}`;

/**
 * The benchmark directory as LDIF for slapadd: `users` inetOrgPerson users,
 * a groupOfNames of `bigGroupSize` members (users 1…bigGroupSize) and one of
 * 10 (users 1…10). slapadd runs no overlays, so the users' memberOf values
 * (what the memberof overlay would have written) are in the LDIF too.
 */
export function directoryLdif(users: number, bigGroupSize: number): string {
  const parts: string[] = [];
  for (let n = 1; n <= users; n += 1) {
    const name = userName(n);
    const memberOf = [
      ...(n <= bigGroupSize ? [`memberOf: ${groupDn(BIG_GROUP)}`] : []),
      ...(n <= 10 ? [`memberOf: ${groupDn(SMALL_GROUP)}`] : []),
    ];
    parts.push(
      [
        `dn: ${userDn(n)}`,
        'objectClass: top',
        'objectClass: person',
        'objectClass: organizationalPerson',
        'objectClass: inetOrgPerson',
        `uid: ${name}`,
        `cn: Given${n} Family${n}`,
        `sn: Family${n}`,
        `givenName: Given${n}`,
        `displayName: Given${n} Family${n}`,
        `mail: ${name}@example.test`,
        `telephoneNumber: +1 555 ${String(n).padStart(7, '0')}`,
        'title: Engineer',
        `employeeNumber: ${String(n).padStart(6, '0')}`,
        `departmentNumber: Department ${n % 50}`,
        `description: ext-${n}`,
        'employeeType: active',
        ...memberOf,
        '',
      ].join('\n'),
    );
  }
  const group = (name: string, size: number) => {
    const lines = [`dn: ${groupDn(name)}`, 'objectClass: top', 'objectClass: groupOfNames', `cn: ${name}`];
    // groupOfNames needs a member; the store keeps the empty DN as its placeholder.
    lines.push('member:');
    for (let n = 1; n <= size; n += 1) lines.push(`member: ${userDn(n)}`);
    return `${lines.join('\n')}\n`;
  };
  parts.push(group(BIG_GROUP, bigGroupSize), group(SMALL_GROUP, 10));
  return `\n${parts.join('\n')}`;
}
