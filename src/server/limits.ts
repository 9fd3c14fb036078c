/**
 * Protocol limits of one mounted SCIM endpoint. Advertised by
 * /ServiceProviderConfig and enforced by the routes, so both read them here.
 */
export interface ScimLimits {
  /** Page size when the client sends no `count` (RFC 7644 §3.4.2.4). */
  readonly defaultPageSize: number;
  /** Larger `count` values are capped to this (and advertised as filter.maxResults / pagination.maxPageSize). */
  readonly maxPageSize: number;
  /** Largest accepted request body in bytes (also Bulk maxPayloadSize). */
  readonly bodyLimit: number;
  /** Bulk maxOperations. */
  readonly maxBulkOperations: number;
}

export const DEFAULT_LIMITS: ScimLimits = {
  defaultPageSize: 100,
  maxPageSize: 1000,
  bodyLimit: 1024 * 1024,
  maxBulkOperations: 1000,
};
