import { SCHEMA_URN } from './schema/core-schemas.js';
import type { ScimResource } from './schema/model.js';

export interface ListPage {
  readonly resources: readonly ScimResource[];
  readonly totalResults: number;
  /** 1-based; leave undefined for cursor pages (RFC 9865 §2: no startIndex there). */
  readonly startIndex?: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

export interface ListResponse {
  schemas: [typeof SCHEMA_URN.listResponse];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: ScimResource[];
}

/** RFC 7644 §3.4.2 ListResponse, with RFC 9865 cursors when the page has them. */
export function toListResponse(page: ListPage): ListResponse {
  // Keys assigned in the order clients see them; optional ones only when set (no conditional spreads,
  // which cost new object shapes on every response).
  const response: ListResponse = {
    schemas: [SCHEMA_URN.listResponse],
    totalResults: page.totalResults,
    itemsPerPage: page.resources.length,
  } as ListResponse;
  if (page.startIndex !== undefined) response.startIndex = page.startIndex;
  if (page.nextCursor !== undefined) response.nextCursor = page.nextCursor;
  if (page.previousCursor !== undefined) response.previousCursor = page.previousCursor;
  response.Resources = [...page.resources];
  return response;
}
