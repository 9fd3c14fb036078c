import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import type { ResourceStore } from './resource-store.js';

/**
 * The store a mapping's backend calls for. Adapters are imported on demand,
 * so a SQL deployment never loads the LDAP client and vice versa.
 */
export async function createStore(mapping: CompiledMapping): Promise<ResourceStore> {
  switch (mapping.backend.type) {
    case 'sql': {
      const { createSqlStore } = await import('./sql/sql-store.js');
      return createSqlStore(mapping);
    }
    case 'ldap': {
      const { createLdapStore } = await import('./ldap/ldap-store.js');
      return createLdapStore(mapping);
    }
  }
}
