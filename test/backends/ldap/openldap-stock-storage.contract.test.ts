import { createLdapStore } from '../../../src/backends/ldap/ldap-store.js';
import { OPENLDAP_CONTRACT_SKIPS as skips } from '../../contract/openldap-contract-skips.js';
import { describeStoreContract } from '../../contract/store-contract.js';
import { loadOpenLdapMapping } from '../../support/openldap-mapping.js';
import { SLAPD_AVAILABLE, STOCK_MEMBER_STORAGE, startSlapd } from '../../support/slapd.js';

if (!SLAPD_AVAILABLE) throw new Error('slapd is not installed: run scripts/install-ldap-packages.sh');

/**
 * The contract suite once more on a slapd as Debian ships it: no sortvals, so
 * member values keep the order they were added in. Every other slapd test runs
 * with docs/ldap.md's large-group settings (test/support/slapd.ts); this keeps
 * the stock path covered.
 * The skips are the shipped mapping's (test/contract/openldap-contract-skips.ts).
 */
describeStoreContract(
  'OpenLDAP, stock member storage (no sortvals)',
  async () => {
    const slapd = await startSlapd({ memberStorage: STOCK_MEMBER_STORAGE });
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
