import { createStore } from '../../src/backends/create-store.js';
import { loadOpenLdapMapping } from '../support/openldap-mapping.js';
import { SLAPD_AVAILABLE, startSlapd } from '../support/slapd.js';
import { interopContextFor } from './interop-context.js';
import { describeInteropSuite } from './interop-suite.js';

if (!SLAPD_AVAILABLE) throw new Error('slapd is not installed: run scripts/install-ldap-packages.sh');

describeInteropSuite('OpenLDAP (shipped mapping, throw-away slapd)', async () => {
  const slapd = await startSlapd();
  const mapping = await loadOpenLdapMapping(slapd);
  const store = await createStore(mapping);
  return interopContextFor(mapping, store, async () => {
    await store.close();
    await slapd.destroy();
  });
});
