import { type BerReader, BerWriter, Control } from 'ldapts';

/**
 * Virtual List View request (draft-ietf-ldapext-ldapv3-vlv-09), by offset:
 * "give me `afterCount + 1` entries starting at position `offset` (1-based)
 * of the sorted result". Needs a server-side sort control in the same
 * request. No context id is sent, so no per-connection state is needed and
 * any replica can serve any page.
 */
export class VlvRequestControl extends Control {
  static readonly type = '2.16.840.1.113730.3.4.9';

  constructor(
    readonly offset: number,
    readonly afterCount: number,
  ) {
    super(VlvRequestControl.type, { critical: true });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(0); // beforeCount
    value.writeInt(this.afterCount);
    value.startSequence(0xa0); // byOffset
    value.writeInt(this.offset);
    value.writeInt(0); // contentCount: 0 = "use your own count"
    value.endSequence();
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}

/**
 * Receives the VLV response (targetPosition, contentCount, result code).
 * ldapts only hands unknown response controls to a request control of the
 * same OID, so this rides along as a non-critical request control that
 * servers ignore, and is filled in when the response arrives.
 */
export class VlvResponseCapture extends Control {
  static readonly type = '2.16.840.1.113730.3.4.10';
  targetPosition: number | undefined;
  contentCount: number | undefined;
  resultCode: number | undefined;

  constructor() {
    super(VlvResponseCapture.type, { critical: false });
  }

  protected override parseControl(reader: BerReader): void {
    if (reader.readSequence() === null) return;
    this.targetPosition = reader.readInt() ?? undefined;
    this.contentCount = reader.readInt() ?? undefined;
    this.resultCode = reader.readEnumeration() ?? undefined;
  }
}
