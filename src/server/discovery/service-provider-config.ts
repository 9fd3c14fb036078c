import type { CompiledMapping } from '../../mapping/compiled-mapping.js';
import { SCHEMA_URN } from '../../scim/schema/core-schemas.js';
import type { ScimLimits } from '../limits.js';

export interface PaginationCapabilities {
  /** Whether RFC 9865 cursor paging is answered (the backend can page by key). */
  readonly cursor: boolean;
  /** Seconds a cursor stays valid at least (RFC 9865 cursorTimeout). */
  readonly cursorTimeoutSeconds: number;
}

/** A `password` mapped anywhere makes changePassword real (RFC 7643 §5). */
function mapsPassword(mapping: CompiledMapping): boolean {
  return mapping.resourceTypes.some((type) =>
    type.attributes.some((attribute) => attribute.scim.attribute.toLowerCase() === 'password'),
  );
}

/** ETags need a version source on every type: a SQL version column; LDAP entries always carry one. */
function versionsEveryType(mapping: CompiledMapping): boolean {
  return mapping.resourceTypes.every((type) => type.sql === undefined || type.sql.version !== undefined);
}

/**
 * RFC 7643 §5 ServiceProviderConfig with the RFC 9865 `pagination` block,
 * derived from what this deployment actually does: its limits and mapping.
 */
export function serviceProviderConfig(
  mapping: CompiledMapping,
  limits: ScimLimits,
  pagination: PaginationCapabilities,
  baseUrl: string,
): Record<string, unknown> {
  return {
    schemas: [SCHEMA_URN.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: limits.maxBulkOperations, maxPayloadSize: limits.bodyLimit },
    filter: { supported: true, maxResults: limits.maxPageSize },
    changePassword: { supported: mapsPassword(mapping) },
    sort: { supported: true },
    etag: { supported: versionsEveryType(mapping) },
    pagination: {
      cursor: pagination.cursor,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: limits.defaultPageSize,
      maxPageSize: limits.maxPageSize,
      ...(pagination.cursor ? { cursorTimeout: pagination.cursorTimeoutSeconds } : {}),
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A bearer token (the configured static token or a signed JWT) in the Authorization header.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}
