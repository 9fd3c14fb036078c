import { createLdapStore } from '../../src/backends/ldap/ldap-store.js';
import { loadOpenLdapMapping } from '../support/openldap-mapping.js';
import { SLAPD_AVAILABLE, startSlapd } from '../support/slapd.js';
import { OPENLDAP_CONTRACT_SKIPS as skips } from './openldap-contract-skips.js';
import { describeStoreContract } from './store-contract.js';

if (!SLAPD_AVAILABLE) throw new Error('slapd is not installed: run scripts/install-ldap-packages.sh');

describeStoreContract(
  'OpenLDAP (shipped mapping, throw-away slapd)',
  async () => {
    const slapd = await startSlapd();
    const mapping = await loadOpenLdapMapping(slapd);
    const store = await createLdapStore(mapping);
    return {
      store,
      mapping,
      cleanup: async () => {
        await store.close();
        await slapd.destroy();
      },
    };
  },
  skips,
);
