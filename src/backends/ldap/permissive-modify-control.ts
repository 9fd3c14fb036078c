import { Control } from 'ldapts';

/**
 * LDAP_SERVER_PERMISSIVE_MODIFY_OID (MS-ADTS §3.1.1.3.4.1.8, also honoured by
 * OpenLDAP): adding a value that is already there or deleting one that is not
 * succeeds. That makes PATCH add/remove of members a single modify without
 * reading the group first.
 */
export class PermissiveModifyControl extends Control {
  static readonly type = '1.2.840.113556.1.4.1413';

  constructor() {
    super(PermissiveModifyControl.type, { critical: false });
  }
}
