import { createStore } from '../../src/backends/create-store.js';
import { loadActiveDirectoryMapping } from '../support/active-directory-mapping.js';
import { SAMBA_AD_AVAILABLE, startSambaAd } from '../support/samba-ad.js';
import { interopContextFor } from './interop-context.js';
import { describeInteropSuite } from './interop-suite.js';

if (!SAMBA_AD_AVAILABLE) throw new Error('Samba AD is not installed: run scripts/install-ldap-packages.sh');

/*
 * No skips: the suite checks name.formatted only where /Schemas serves it, and the
 * shipped AD mapping leaves it out (cn is the RDN, built from userName).
 */
const SKIPS: Record<string, string> = {};

describeInteropSuite(
  'Active Directory (shipped mapping, throw-away Samba AD DC over LDAPS)',
  async () => {
    // Okta's sample password "1mz050nq" has two character classes; AD's default policy wants three.
    const dc = await startSambaAd({ passwordComplexity: false });
    const mapping = await loadActiveDirectoryMapping(dc);
    const store = await createStore(mapping);
    return interopContextFor(mapping, store, async () => {
      await store.close();
      await dc.destroy();
    });
  },
  SKIPS,
);
