import type { Client, Entry } from 'ldapts';

/**
 * Active Directory range retrieval (MS-ADTS §3.1.1.3.1.3.3): a server hands
 * out at most MaxValRange values of one attribute per search (1,500 by
 * default), as `member;range=0-1499`; the rest are fetched with
 * `member;range=1500-2999` … until a range ends with `*`. We always ask for
 * ranges explicitly, so the same loop runs whatever the server's limit is
 * (a smaller limit just gives shorter ranges) and on servers that would
 * otherwise send every value at once (Samba).
 */

/** `member;range=0-1499`: the attribute name that asks for the first `size` values. */
export function rangedName(attribute: string, start: number, size: number): string {
  return `${attribute};range=${start}-${start + size - 1}`;
}

interface RangePart {
  readonly key: string;
  readonly start: number;
  /** undefined for `*` (the last range). */
  readonly end: number | undefined;
  readonly values: readonly (string | Buffer)[];
}

const RANGE = /^(.+);range=(\d+)-(\d+|\*)$/i;

/** The ranged values of `attribute` an entry came back with, if any (the one with values wins). */
function rangePart(entry: Entry, attribute: string): RangePart | undefined {
  let found: RangePart | undefined;
  for (const key of Object.keys(entry)) {
    const match = RANGE.exec(key);
    if (match === null || match[1]?.toLowerCase() !== attribute.toLowerCase()) continue;
    const raw = entry[key];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const part: RangePart = {
      key,
      start: Number(match[2]),
      end: match[3] === '*' ? undefined : Number(match[3]),
      values,
    };
    // ldapts may also list the name that was asked for, empty, next to the one the server sent.
    if (found === undefined || (found.values.length === 0 && values.length > 0)) found = part;
  }
  return found;
}

function dropRangedKeys(entry: Entry, attribute: string): void {
  for (const key of Object.keys(entry)) {
    const match = RANGE.exec(key);
    if (match !== null && match[1]?.toLowerCase() === attribute.toLowerCase()) delete entry[key];
  }
}

/**
 * Completes `attribute` on entries read with `rangedName(attribute, 0, size)`:
 * fetches the remaining ranges of each entry (one base search per range) and
 * stores every value under the plain attribute name, so the rest of the
 * adapter never sees ranges. Entries the server answered without a range are
 * left as they are.
 */
export async function completeRangedValues(
  client: Client,
  entries: readonly Entry[],
  attribute: string,
  size: number,
): Promise<void> {
  for (const entry of entries) {
    let part = rangePart(entry, attribute);
    if (part === undefined) continue;
    const values: (string | Buffer)[] = [...part.values];
    while (part !== undefined && part.end !== undefined && part.values.length > 0) {
      const next = part.end + 1;
      const { searchEntries } = await client.search(entry.dn, {
        scope: 'base',
        attributes: [rangedName(attribute, next, size)],
      });
      const more = searchEntries[0];
      part = more === undefined ? undefined : rangePart(more, attribute);
      if (part !== undefined) values.push(...part.values);
    }
    dropRangedKeys(entry, attribute);
    entry[attribute] = values.every((value) => typeof value === 'string')
      ? (values as string[])
      : values.map((value) => (typeof value === 'string' ? Buffer.from(value) : value));
  }
}
