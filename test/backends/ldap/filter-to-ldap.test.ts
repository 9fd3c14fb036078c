import { beforeAll, describe, expect, it } from 'vitest';
import { directoryProfile } from '../../../src/backends/ldap/directory-profile.js';
import type { ReferenceTarget } from '../../../src/backends/ldap/entry-codec.js';
import { filterToLdap, referenceIdsInFilter } from '../../../src/backends/ldap/filter-to-ldap.js';
import { LdapLayouts } from '../../../src/backends/ldap/ldap-resource-layout.js';
import type { CompiledMapping } from '../../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../../src/mapping/load-mapping.js';
import { isScimError } from '../../../src/scim/errors.js';
import { parseFilter } from '../../../src/scim/filter/parser.js';
import { OPENLDAP_MAPPING_FILE } from '../../support/openldap-mapping.js';

const ENV = { LDAP_URL: 'ldap://127.0.0.1:1', LDAP_BIND_DN: 'cn=svc', LDAP_BIND_PASSWORD: 'secret' };
const MANAGER_ID = '11111111-2222-3333-4444-555555555555';
const references = new Map<string, ReferenceTarget>([
  [MANAGER_ID, { id: MANAGER_ID, type: 'User', dn: 'uid=boss,ou=people,dc=example,dc=test' }],
]);

let mapping: CompiledMapping;
beforeAll(async () => {
  mapping = await loadMappingFile(OPENLDAP_MAPPING_FILE, ENV);
});

function translate(
  filter: string,
  directory: 'openldap' | 'activeDirectory' = 'openldap',
  type = 'User',
): string {
  const layout = new LdapLayouts(mapping).get(type);
  return filterToLdap(
    { layout, profile: directoryProfile(directory), references },
    parseFilter(filter),
  ).toString();
}

describe('SCIM filter → RFC 4515 filter (OpenLDAP profile)', () => {
  const cases: [string, string][] = [
    ['userName eq "bjensen"', '(uid=bjensen)'],
    ['userName ne "bjensen"', '(!(uid=bjensen))'],
    ['userName co "jen"', '(uid=*jen*)'],
    ['userName sw "bj"', '(uid=bj*)'],
    ['userName ew "sen"', '(uid=*sen)'],
    ['title pr', '(title=*)'],
    // Injection attempts stay values: the encoder escapes * ( ) \ NUL.
    ['userName eq "*)(uid=*"', '(uid=\\2a\\29\\28uid=\\2a)'],
    ['displayName co "a\\\\b"', '(displayName=*a\\5cb*)'],
    // caseExact externalId: an extensible match with caseExactMatch.
    ['externalId eq "AbC"', '(description:caseExactMatch:=AbC)'],
    // No ORDERING rule on uid: "<" is the ordering rule in an extensible match.
    ['userName lt "m"', '(uid:caseIgnoreOrderingMatch:=m)'],
    ['userName ge "m"', '(&(uid=*)(!(uid:caseIgnoreOrderingMatch:=m)))'],
    ['userName gt "m"', '(&(uid=*)(!(uid:caseIgnoreOrderingMatch:=m))(!(uid=m)))'],
    ['userName le "m"', '(|(uid:caseIgnoreOrderingMatch:=m)(uid=m))'],
    [
      'meta.lastModified gt "2024-01-02T03:04:05Z"',
      '(&(modifyTimestamp>=20240102030405Z)(!(modifyTimestamp=20240102030405Z)))',
    ],
    ['meta.created le "2024-01-02T03:04:05Z"', '(createTimestamp<=20240102030405Z)'],
    ['active eq true', '(employeeType=active)'],
    ['emails[type eq "work" and value co "@x"]', '(&(mail=*)(&(objectClass=*)(mail=*@x*)))'],
    ['emails.value eq "a@x"', '(mail=a@x)'],
    ['phoneNumbers pr', '(|(telephoneNumber=*)(mobile=*))'],
    [
      `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${MANAGER_ID}"`,
      '(manager=uid=boss,ou=people,dc=example,dc=test)',
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "unknown"',
      '(!(objectClass=*))',
    ],
    ['id eq "not-a-uuid"', '(!(objectClass=*))'],
    [`id eq "${MANAGER_ID.toUpperCase()}"`, `(entryUUID=${MANAGER_ID})`],
    ['not (title eq "x") and (title eq "y" or userName eq "z")', '(&(!(title=x))(|(title=y)(uid=z)))'],
  ];
  it.each(cases)('%s → %s', (scim, ldap) => {
    expect(translate(scim)).toBe(ldap);
  });

  it('members.value through id → DN, and a group without members is not "present"', () => {
    expect(translate(`members[value eq "${MANAGER_ID}" and type eq "User"]`, 'openldap', 'Group')).toBe(
      '(&(member=uid=boss,ou=people,dc=example,dc=test)(objectClass=*))',
    );
    expect(translate('members pr', 'openldap', 'Group')).toBe('(&(member=*)(!(member=)))');
  });

  it('collects the ids a filter compares references with', () => {
    const layout = new LdapLayouts(mapping).get('Group');
    expect(
      referenceIdsInFilter(layout, parseFilter('members[value eq "a"] or members.value eq "b"')),
    ).toEqual(['a', 'b']);
  });
});

describe('SCIM filter → LDAP filter (Active Directory profile)', () => {
  it('gt/lt use >= and <= without equality', () => {
    expect(translate('userName gt "m"', 'activeDirectory')).toBe('(&(uid>=m)(!(uid=m)))');
    expect(translate('userName lt "m"', 'activeDirectory')).toBe('(&(uid<=m)(!(uid=m)))');
  });
});

describe('what LDAP cannot answer is 400 invalidFilter', () => {
  const invalid = [
    'nickName eq "x"',
    'emails.display eq "x"',
    'active gt true',
    'title eq 5',
    'meta.version eq "x"',
    'meta.created gt "yesterday"',
    'members.display eq "x"',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value co "x"',
  ];
  it.each(invalid)('%s', (filter) => {
    const type = filter.startsWith('members') ? 'Group' : 'User';
    try {
      translate(filter, 'openldap', type);
      expect.fail('expected invalidFilter');
    } catch (err) {
      expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidFilter').toBe(true);
    }
  });
});
