/**
 * DN strings (RFC 4514). Values from clients only ever enter a DN through
 * escapeDnValue(); nothing else builds DNs from client input.
 */

/** Escapes one attribute value for an RDN. A comma becomes `\2C` so no DN splitter mistakes it for a separator. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (const char of value) {
    if (char === ',') out += '\\2C';
    else if ('\\"+;<>='.includes(char)) out += `\\${char}`;
    else if (char === '\0') out += '\\00';
    else out += char;
  }
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Splits a DN into its RDN strings at unescaped commas. */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i += 1) {
    const char = dn[i] ?? '';
    if (char === '\\') {
      current += char + (dn[i + 1] ?? '');
      i += 1;
    } else if (char === ',') {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current.trim());
  return parts;
}

/**
 * Decodes the escapes of an RDN value (`\2C`, `\,`). Hex escapes are bytes
 * and may spell one multi-byte UTF-8 character together (`\C3\A9` = é), so
 * the value is decoded as bytes — but only when it has an escape at all.
 */
export function unescapeDnValue(value: string): string {
  if (!value.includes('\\')) return value;
  const chunks: Buffer[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '\\') {
      i += 1;
      continue;
    }
    if (i > plainFrom) chunks.push(Buffer.from(value.slice(plainFrom, i)));
    const hex = value.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      chunks.push(Buffer.of(Number.parseInt(hex, 16)));
      i += 3;
      plainFrom = i;
    } else {
      // `\,`: the escaped character itself starts the next plain run.
      plainFrom = i + 1;
      i += 2;
    }
  }
  if (plainFrom < value.length) chunks.push(Buffer.from(value.slice(plainFrom)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A comparison key for DNs: attribute names and values lower-cased, escapes
 * decoded, spaces around separators removed. Good enough for the
 * case-insensitive naming attributes directories use (uid, cn, ou, dc).
 */
export function normalizeDn(dn: string): string {
  // Without a backslash no comma is escaped, so a plain split finds the RDNs.
  const rdns = dn.includes('\\') ? splitDn(dn) : dn.split(',');
  let key = '';
  for (let index = 0; index < rdns.length; index += 1) {
    const rdn = (rdns[index] ?? '').trim();
    const eq = rdn.indexOf('=');
    if (index > 0) key += ',';
    key +=
      eq < 0
        ? rdn.toLowerCase()
        : `${rdn.slice(0, eq).trim().toLowerCase()}=${unescapeDnValue(rdn.slice(eq + 1).trim()).toLowerCase()}`;
  }
  return key;
}

/** The DN without its first RDN. */
export function parentDn(dn: string): string {
  return splitDn(dn).slice(1).join(',');
}

/** The first RDN (`uid=bjensen`). */
export function firstRdn(dn: string): string {
  return splitDn(dn)[0] ?? '';
}

/** Whether `dn` lies under (or is) `base`. */
export function isUnder(dn: string, base: string): boolean {
  return isUnderNormalized(normalizeDn(dn), normalizeDn(base));
}

/** isUnder() for DNs already through normalizeDn(). */
export function isUnderNormalized(dnKey: string, baseKey: string): boolean {
  return dnKey === baseKey || dnKey.endsWith(`,${baseKey}`);
}
