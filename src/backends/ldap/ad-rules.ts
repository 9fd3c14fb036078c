import { applyAccountEnabled } from '../../mapping/transforms/account-enabled.js';
import { scimErrors } from '../../scim/errors.js';

/** Characters AD refuses in sAMAccountName (MS-ADTS §3.1.1.5.1.3 / the "User logon name" rules). */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;

/**
 * sAMAccountName rules, checked before AD answers with an opaque constraint
 * violation (or, like Samba, silently accepts a name longer than 20 that
 * Windows logons cannot use). `label` is the SCIM attribute mapped to it.
 */
export function checkSamAccountName(value: string, label = 'userName'): void {
  if (value.length > 20) {
    throw scimErrors.invalidValue(
      `${label} is mapped to sAMAccountName, which holds at most 20 characters (got ${value.length})`,
    );
  }
  const bad = SAM_FORBIDDEN.exec(value);
  if (bad !== null) {
    throw scimErrors.invalidValue(
      `${label} is mapped to sAMAccountName, which may not contain '${bad[0]}' (nor any of "/\\[]:;|=,+*?<>@)`,
    );
  }
  if (value.endsWith('.'))
    throw scimErrors.invalidValue(`${label} is mapped to sAMAccountName, which may not end with a period`);
}

/**
 * The new userAccountControl when only `active` changes: the ACCOUNTDISABLE
 * bit from the value the mapping computed, every other bit (password never
 * expires, smartcard required, …) from the entry as it is.
 */
export function mergeUserAccountControl(current: string | undefined, computed: string): string {
  const now = Number.parseInt(current ?? '', 10);
  const wanted = Number.parseInt(computed, 10);
  if (!Number.isInteger(now) || !Number.isInteger(wanted)) return computed;
  return String(applyAccountEnabled(now, (wanted & 0x2) === 0));
}

/** The AD password attribute: written (quoted UTF-16LE), never read. */
export function isUnicodePwd(ldapAttribute: string): boolean {
  return ldapAttribute.toLowerCase() === 'unicodepwd';
}

/** unicodePwd: the password in double quotes, UTF-16LE (MS-ADTS §3.1.1.3.1.5.1). */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** The same userAccountControl with ACCOUNTDISABLE set: how AD wants a new account added. */
export function disabledUserAccountControl(value: string): string {
  const uac = Number.parseInt(value, 10);
  return Number.isInteger(uac) ? String(applyAccountEnabled(uac, false)) : value;
}
