import { BerWriter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { directoryProfile } from '../../../src/backends/ldap/directory-profile.js';
import { idFilter, idFromLdap } from '../../../src/backends/ldap/resource-id.js';
import { guidToBytes } from '../../../src/mapping/transforms/guid.js';

const AD = directoryProfile('activeDirectory');
const OPENLDAP = directoryProfile('openldap');

/** A GUID whose bytes are `*`, `(`, `)`, `\` and NUL: what RFC 4515 must escape in a filter's text form. */
const NASTY = '2a28295c-0000-2a28-295c-00002a28295c';

describe('ids ↔ LDAP values', () => {
  it('an AD id is searched as the 16 objectGUID bytes, escaped in the text form', () => {
    const filter = idFilter(AD, 'objectGUID', NASTY);
    const bytes = guidToBytes(NASTY) as Buffer;
    expect(bytes).toHaveLength(16);
    // The text form (explain, logs) escapes every special byte …
    expect(filter.toString()).toBe(
      `(objectGUID=${[...bytes].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('')})`,
    );
    // … and the wire form carries exactly the 16 bytes as the assertion value.
    const writer = new BerWriter();
    filter.write(writer);
    expect(writer.buffer.includes(bytes)).toBe(true);
  });

  it('the objectGUID bytes read back give the same canonical id, whatever the case asked for', () => {
    const bytes = guidToBytes(NASTY.toUpperCase()) as Buffer;
    expect(idFromLdap(AD, bytes)).toBe(NASTY);
    expect(idFilter(AD, 'objectGUID', NASTY.toUpperCase()).toString()).toBe(
      idFilter(AD, 'objectGUID', NASTY).toString(),
    );
  });

  it.each(['not-a-guid', "x' OR '1'='1", '*', ''])('%j cannot name an entry: it matches nothing', (id) => {
    expect(idFilter(AD, 'objectGUID', id).toString()).toBe('(!(objectClass=*))');
    expect(idFilter(OPENLDAP, 'entryUUID', id).toString()).toBe('(!(objectClass=*))');
  });

  it('entryUUID stays text, lower-cased', () => {
    expect(idFilter(OPENLDAP, 'entryUUID', NASTY.toUpperCase()).toString()).toBe(`(entryUUID=${NASTY})`);
    expect(idFromLdap(OPENLDAP, NASTY.toUpperCase())).toBe(NASTY);
  });
});
