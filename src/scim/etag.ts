/**
 * Weak ETags from backend versions (RFC 7644 §3.14, RFC 9110 §8.8.3).
 * A version may hold any characters; those an entity-tag cannot carry
 * (`"`, `\`, controls, non-ASCII) and `%` itself are percent-encoded, so the
 * encoding is deterministic and two versions never share a tag.
 */

const WEAK_TAG = /^W\/"([^"]*)"$/;
const STRONG_TAG = /^"([^"]*)"$/;

function encodeOpaque(version: string): string {
  let out = '';
  for (const char of version) {
    const code = char.codePointAt(0) ?? 0;
    const safe = code >= 0x21 && code <= 0x7e && char !== '"' && char !== '\\' && char !== '%';
    out += safe
      ? char
      : encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

/** The opaque part of a version: versions that already are entity-tags are taken as they are. */
function opaqueOfVersion(version: string): string {
  const tagged = WEAK_TAG.exec(version) ?? STRONG_TAG.exec(version);
  return tagged?.[1] ?? encodeOpaque(version);
}

export function toEtag(version: string): string {
  return `W/"${opaqueOfVersion(version)}"`;
}

/** Splits an If-Match / If-None-Match list at commas outside quotes. */
function splitTags(header: string): string[] {
  const tags: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      tags.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  tags.push(current.trim());
  return tags.filter((tag) => tag.length > 0);
}

/**
 * Whether an If-Match header admits the current version: `*`, or any listed
 * tag equal by weak comparison (SCIM ETags are weak, so If-Match compares
 * opaque parts). A bare unquoted tag is tolerated as its opaque part.
 */
export function etagMatches(header: string, version: string): boolean {
  const current = opaqueOfVersion(version);
  return splitTags(header).some((tag) => {
    if (tag === '*') return true;
    const opaque = WEAK_TAG.exec(tag)?.[1] ?? STRONG_TAG.exec(tag)?.[1] ?? tag;
    return opaque === current;
  });
}
