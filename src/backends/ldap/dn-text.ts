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

/** Decodes the escapes of an RDN value (`\2C`, `\,`). */
export function unescapeDnValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] ?? '';
    if (char === '\\' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '\\') {
      bytes.push(...Buffer.from(value[i + 1] ?? ''));
      i += 1;
    } else {
      bytes.push(...Buffer.from(char));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A comparison key for DNs: attribute names and values lower-cased, escapes
 * decoded, spaces around separators removed. Good enough for the
 * case-insensitive naming attributes directories use (uid, cn, ou, dc).
 */
export function normalizeDn(dn: string): string {
  return splitDn(dn)
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      if (eq < 0) return rdn.toLowerCase();
      return `${rdn.slice(0, eq).trim().toLowerCase()}=${unescapeDnValue(rdn.slice(eq + 1).trim()).toLowerCase()}`;
    })
    .join(',');
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
  const child = normalizeDn(dn);
  const parent = normalizeDn(base);
  return child === parent || child.endsWith(`,${parent}`);
}
