import type { Entry } from 'ldapts';
import { scimErrors } from '../../scim/errors.js';
import type { AttributeDefinition } from '../../scim/schema/model.js';

export type LdapValue = string | Buffer;

/** All values of an attribute of a search entry, whatever case the server used for its name. */
export function valuesOf(entry: Entry, attribute: string): LdapValue[] {
  // Servers mostly answer with the name as asked (the mapping's spelling): no scan then.
  const asAsked = attribute !== 'dn' && Object.hasOwn(entry, attribute) ? entry[attribute] : undefined;
  if (asAsked !== undefined) return Array.isArray(asAsked) ? asAsked : [asAsked];
  const lower = attribute.toLowerCase();
  const key = Object.keys(entry).find((name) => name.toLowerCase() === lower);
  if (key === undefined || key === 'dn') return [];
  const raw = entry[key];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

export function firstString(entry: Entry, attribute: string): string | undefined {
  const first = valuesOf(entry, attribute)[0];
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealUtcTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

/** LDAP GeneralizedTime (`20240101120000Z`, `20240101120000.0Z`) → RFC 3339. */
export function generalizedToIso(text: string): string | undefined {
  const match = GENERALIZED.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi = '00', s = '00', , zone = 'Z'] = match;
  // What directories write (UTC, a real date): the text rearranged, no Date round trip.
  if (zone === 'Z' && isRealUtcTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)))
    return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 → GeneralizedTime in UTC; undefined when the text is not a dateTime. */
export function isoToGeneralized(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i.test(text.trim()))
    return undefined;
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** A backend value read from LDAP → its SCIM form by the attribute's SCIM type (no transform). */
export function fromLdapText(definition: AttributeDefinition, text: string): unknown {
  switch (definition.type) {
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : undefined;
    }
    case 'integer': {
      const number = Number.parseInt(text, 10);
      return Number.isInteger(number) ? number : undefined;
    }
    case 'decimal': {
      const number = Number(text);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'dateTime':
      return generalizedToIso(text) ?? text;
    default:
      return text;
  }
}

/** A SCIM simple value → LDAP string form by its SCIM type (no transform). Booleans are LDAP `TRUE`/`FALSE`. */
export function toLdapText(definition: AttributeDefinition, value: unknown, label: string): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (definition.type === 'dateTime') {
      const generalized = isoToGeneralized(value);
      if (generalized === undefined) throw scimErrors.invalidValue(`'${label}' is not a dateTime`);
      return generalized;
    }
    return value;
  }
  throw scimErrors.invalidValue(`'${label}' cannot be stored in the directory as ${typeof value}`);
}
