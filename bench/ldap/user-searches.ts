import { AndFilter, Attribute, Change, type Client, EqualityFilter, type Filter } from 'ldapts';
import { GROUPS, groupDn, PEOPLE } from './directory-ldif.js';

/** The User objectClasses of mappings/openldap.yaml but top, ANDed into every search as the gateway does. */
const TYPE_FILTERS = ['person', 'organizationalPerson', 'inetOrgPerson'].map(
  (value) => new EqualityFilter({ attribute: 'objectClass', value }),
);

/** The attributes the gateway requests for a User (mappings/openldap.yaml). */
const USER_ATTRIBUTES = [
  'entryUUID',
  'entryCSN',
  'createTimestamp',
  'modifyTimestamp',
  'uid',
  'description',
  'employeeType',
  'displayName',
  'givenName',
  'sn',
  'cn',
  'title',
  'mail',
  'telephoneNumber',
  'mobile',
  'employeeNumber',
  'departmentNumber',
  'manager',
  'memberOf',
];

async function search(client: Client, filter: Filter): Promise<unknown[]> {
  const { searchEntries } = await client.search(PEOPLE, {
    scope: 'one',
    filter: new AndFilter({ filters: [...TYPE_FILTERS, filter] }),
    attributes: USER_ATTRIBUTES,
    sizeLimit: 2,
  });
  return searchEntries;
}

/** The baselines' searches: `uid=…` (userName eq) and `entryUUID=…` (get by id), one level under ou=people. */
export function userByName(client: Client, userName: string): Promise<unknown[]> {
  return search(client, new EqualityFilter({ attribute: 'uid', value: userName }));
}

export function userById(client: Client, id: string): Promise<unknown[]> {
  return search(client, new EqualityFilter({ attribute: 'entryUUID', value: id }));
}

/** The gateway's search for `displayName eq …` with excludedAttributes=members: no `member` requested. */
export async function groupByName(client: Client, name: string): Promise<unknown[]> {
  const { searchEntries } = await client.search(GROUPS, {
    scope: 'one',
    filter: new AndFilter({
      filters: [
        new EqualityFilter({ attribute: 'objectClass', value: 'groupOfNames' }),
        new EqualityFilter({ attribute: 'cn', value: name }),
      ],
    }),
    attributes: ['entryUUID', 'entryCSN', 'createTimestamp', 'modifyTimestamp', 'cn', 'description'],
    sizeLimit: 2,
  });
  return searchEntries;
}

/** What the gateway's member PATCH becomes: one modify adding one `member` value, without reading the group. */
export async function addMember(client: Client, group: string, memberDn: string): Promise<void> {
  await client.modify(
    groupDn(group),
    new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [memberDn] }) }),
  );
}
