import { EqualityFilter, type Filter, NotFilter, PresenceFilter } from 'ldapts';
import { guidFromBytes, guidToBytes } from '../../mapping/transforms/guid.js';
import type { DirectoryProfile } from './directory-profile.js';
import type { LdapValue } from './ldap-values.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The SCIM id from the id attribute's value: entryUUID as it is, objectGUID as a canonical GUID. */
export function idFromLdap(profile: DirectoryProfile, value: LdapValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return profile.binaryId ? undefined : value.toLowerCase();
  return profile.binaryId ? guidFromBytes(value) : value.toString('utf8').toLowerCase();
}

/** Matches nothing: used where a client's value cannot name an entry (a malformed id). */
export function matchNothing(): Filter {
  return new NotFilter({ filter: new PresenceFilter({ attribute: 'objectClass' }) });
}

/**
 * `(entryUUID=…)` / `(objectGUID=\xx…)` for an id, built as a filter object
 * (the binary GUID is escaped by the encoder). An id that is not a UUID
 * cannot exist, so it matches nothing rather than erroring.
 */
export function idFilter(profile: DirectoryProfile, idAttribute: string, id: string): Filter {
  const trimmed = id.trim();
  if (!UUID.test(trimmed)) return matchNothing();
  if (profile.binaryId) {
    const bytes = guidToBytes(trimmed);
    return bytes === undefined
      ? matchNothing()
      : new EqualityFilter({ attribute: idAttribute, value: bytes });
  }
  return new EqualityFilter({ attribute: idAttribute, value: trimmed.toLowerCase() });
}
