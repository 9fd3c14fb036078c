import type { CompiledMapping } from '../mapping/compiled-mapping.js';
import type { ResourceStore } from './resource-store.js';

type StoreFactory = (mapping: CompiledMapping) => Promise<ResourceStore>;

/*
 * The LDAP adapter (src/backends/ldap/ldap-store.ts) is written in parallel;
 * the specifier is a variable so this file compiles before it lands. Once it
 * exists this can become a plain `await import('./ldap/ldap-store.js')`.
 */
const LDAP_STORE_MODULE = './ldap/ldap-store.js';

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
      const { createLdapStore } = (await import(LDAP_STORE_MODULE)) as { createLdapStore: StoreFactory };
      return createLdapStore(mapping);
    }
  }
}
