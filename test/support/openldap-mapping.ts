import { fileURLToPath } from 'node:url';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import type { SlapdInstance } from './slapd.js';

export const OPENLDAP_MAPPING_FILE = fileURLToPath(new URL('../../mappings/openldap.yaml', import.meta.url));

/** The shipped mappings/openldap.yaml pointed at a test slapd with its service account. */
export function loadOpenLdapMapping(
  slapd: SlapdInstance,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CompiledMapping> {
  return loadMappingFile(OPENLDAP_MAPPING_FILE, {
    LDAP_URL: slapd.url,
    LDAP_BIND_DN: slapd.serviceDn,
    LDAP_BIND_PASSWORD: slapd.servicePassword,
    LDAP_USERS_BASE: `ou=people,${slapd.suffix}`,
    LDAP_GROUPS_BASE: `ou=groups,${slapd.suffix}`,
    ...extraEnv,
  });
}
