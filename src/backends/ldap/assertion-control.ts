import { BerWriter, Control, type Filter } from 'ldapts';

/**
 * LDAP Assertion control (RFC 4528): the operation happens only if the entry
 * matches the filter, atomically on the server — used for If-Match on
 * directories that advertise it (OpenLDAP), so a write never lands on a
 * version the client did not see. A mismatch is result code 122.
 */
export class AssertionControl extends Control {
  static readonly type = '1.3.6.1.1.12';

  constructor(readonly filter: Filter) {
    super(AssertionControl.type, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    this.filter.write(value);
    writer.writeBuffer(value.buffer, 0x04);
  }
}
