import type { LdapBackendConfig } from '../../mapping/compiled-mapping.js';

/**
 * What differs between directory products, in one place. Everything else in
 * the adapter is plain LDAP.
 */
export interface DirectoryProfile {
  readonly kind: LdapBackendConfig['directory'];
  /** The id attribute is binary (AD objectGUID) and shown as a canonical GUID string. */
  readonly binaryId: boolean;
  /** Operational attributes behind meta.version / created / lastModified. */
  readonly versionAttribute: string;
  readonly createdAttribute: string;
  readonly modifiedAttribute: string;
  /** An attribute holding the entry's own DN, usable in filters (batch DN → id lookups). */
  readonly dnAttribute?: string;
  /** Ordering rule named in sort keys for string attributes that have none of their own (OpenLDAP). */
  readonly stringOrderingRule?: string;
  /** Server-side sort + VLV for paging and counting. */
  readonly vlv: boolean;
  /**
   * OpenLDAP's sssvlv keeps every VLV result on the connection until it closes,
   * so a connection that served a VLV search is closed afterwards.
   */
  readonly vlvPinsConnection: boolean;
  /** RFC 4528 assertion control, for an atomic If-Match. */
  readonly assertion: boolean;
  /** Active Directory semantics: userAccountControl, unicodePwd, sAMAccountName, member;range. */
  readonly activeDirectory: boolean;
  /** The objectClasses whose member attribute may not be empty (groupOfNames): keep an empty-DN placeholder. */
  readonly memberPlaceholderClasses: readonly string[];
  /** AD range retrieval: DN lists are read `member;range=0-1499`, then range by range (ranged-values.ts). */
  readonly valueRangeSize?: number;
}

const OPENLDAP: DirectoryProfile = {
  kind: 'openldap',
  binaryId: false,
  versionAttribute: 'entryCSN',
  createdAttribute: 'createTimestamp',
  modifiedAttribute: 'modifyTimestamp',
  dnAttribute: 'entryDN',
  stringOrderingRule: 'caseIgnoreOrderingMatch',
  vlv: true,
  vlvPinsConnection: true,
  assertion: true,
  activeDirectory: false,
  memberPlaceholderClasses: ['groupofnames', 'groupofuniquenames'],
};

const ACTIVE_DIRECTORY: DirectoryProfile = {
  kind: 'activeDirectory',
  binaryId: true,
  versionAttribute: 'uSNChanged',
  createdAttribute: 'whenCreated',
  modifiedAttribute: 'whenChanged',
  dnAttribute: 'distinguishedName',
  vlv: true,
  vlvPinsConnection: false,
  assertion: false,
  activeDirectory: true,
  memberPlaceholderClasses: [],
  // AD's default MaxValRange; a server with a smaller limit just answers shorter ranges.
  valueRangeSize: 1500,
};

const GENERIC: DirectoryProfile = {
  kind: 'generic',
  binaryId: false,
  versionAttribute: 'modifyTimestamp',
  createdAttribute: 'createTimestamp',
  modifiedAttribute: 'modifyTimestamp',
  vlv: false,
  vlvPinsConnection: false,
  assertion: false,
  activeDirectory: false,
  memberPlaceholderClasses: ['groupofnames', 'groupofuniquenames'],
};

export function directoryProfile(kind: LdapBackendConfig['directory']): DirectoryProfile {
  switch (kind) {
    case 'openldap':
      return OPENLDAP;
    case 'activeDirectory':
      return ACTIVE_DIRECTORY;
    case 'generic':
      return GENERIC;
  }
}
