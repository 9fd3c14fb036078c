import type { ResourceStore, SearchResult } from '../../src/backends/resource-store.js';
import type { ScimResource } from '../../src/scim/schema/model.js';

/** The user every instant-store request gets (a fresh copy each time, as a real store returns). */
export const USER_ID = '2819c223-7f76-453a-919d-413861904646';
export const USER: ScimResource = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  id: USER_ID,
  externalId: 'ext-1',
  userName: 'bjensen@example.com',
  active: true,
  displayName: 'Babs Jensen',
  title: 'Engineer',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Barbara Jensen' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
    employeeNumber: '000001',
    department: 'Department 1',
  },
  meta: { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-02T00:00:00.000Z', version: '3' },
};

/** A store that answers every call at once with USER: what is left of a request is the SCIM layer. */
export const instantStore: ResourceStore = {
  resourceTypes: ['User', 'Group'],
  supportsCursor: () => false,
  search: async (): Promise<SearchResult> => ({ totalResults: 1, resources: [structuredClone(USER)] }),
  get: async () => structuredClone(USER),
  create: async () => structuredClone(USER),
  replace: async () => structuredClone(USER),
  modify: async () => structuredClone(USER),
  delete: async () => ({}),
  explain: () => '',
  ping: async () => {},
  close: async () => {},
};
