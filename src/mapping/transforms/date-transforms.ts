import { scimErrors } from '../../scim/errors.js';
import type { ValueTransform } from './value-transform.js';

/** RFC 3339 in UTC, without milliseconds when there are none: `2024-01-01T12:00:00Z`. */
export function formatIsoDateTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** xsd:dateTime as SCIM sends it (RFC 7643 §2.3.5); a zone-less value is taken as UTC. */
function parseScimDateTime(name: string, value: unknown): Date {
  if (typeof value === 'string') {
    const text = value.trim();
    const match = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      text,
    );
    if (match !== null) {
      const withZone =
        text.includes('T') || text.includes(' ')
          ? match[1] === undefined
            ? `${text}Z`
            : text
          : `${text}T00:00:00Z`;
      const date = new Date(withZone.replace(' ', 'T'));
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  throw scimErrors.invalidValue(
    `${name}: expected a dateTime such as 2024-01-01T12:00:00Z, got ${JSON.stringify(value)}`,
  );
}

/**
 * SQL dates and timestamps ↔ SCIM dateTime. Written as an ISO 8601 UTC string
 * (every driver binds strings; better-sqlite3 cannot bind Date objects); read
 * from Date objects, strings (`2024-01-01 12:00:00` is UTC) or epoch milliseconds.
 */
export const isoDate: ValueTransform = {
  name: 'isoDate',
  toBackend(scimValue) {
    if (scimValue === undefined || scimValue === null) return scimValue;
    return parseScimDateTime('isoDate', scimValue).toISOString();
  },
  fromBackend(backendValue) {
    if (backendValue === undefined || backendValue === null) return undefined;
    let date: Date | undefined;
    if (backendValue instanceof Date) date = backendValue;
    else if (typeof backendValue === 'number') date = new Date(backendValue);
    else if (typeof backendValue === 'string') {
      try {
        date = parseScimDateTime('isoDate', backendValue);
      } catch {
        date = undefined;
      }
    }
    return date === undefined || Number.isNaN(date.getTime()) ? undefined : formatIsoDateTime(date);
  },
};

const GENERALIZED_TIME =
  /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/;

/** LDAP GeneralizedTime (RFC 4517 §3.3.13), e.g. `20240101120000Z` or `20240101140000.5+0200`. */
export function parseGeneralizedTime(text: string): Date | undefined {
  const match = GENERALIZED_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute = '00', second = '00', fraction, zone = 'Z'] = match;
  const millis = fraction === undefined ? '000' : fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3, 5) || '00'}`;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatGeneralizedTime(date: Date): string {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const millis = date.getUTCMilliseconds();
  return millis === 0 ? `${digits}Z` : `${digits}.${String(millis).padStart(3, '0')}Z`;
}

/** LDAP GeneralizedTime (`20240101120000Z`) ↔ SCIM dateTime (`2024-01-01T12:00:00Z`). */
export const generalizedTime: ValueTransform = {
  name: 'generalizedTime',
  toBackend(scimValue) {
    if (scimValue === undefined || scimValue === null) return scimValue;
    return formatGeneralizedTime(parseScimDateTime('generalizedTime', scimValue));
  },
  fromBackend(backendValue) {
    if (backendValue === undefined || backendValue === null) return undefined;
    const date = parseGeneralizedTime(String(backendValue));
    return date === undefined ? undefined : formatIsoDateTime(date);
  },
};
