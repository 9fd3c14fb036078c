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
  return {
    schemas: [SCHEMA_URN.listResponse],
    totalResults: page.totalResults,
    itemsPerPage: page.resources.length,
    ...(page.startIndex === undefined ? {} : { startIndex: page.startIndex }),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    ...(page.previousCursor === undefined ? {} : { previousCursor: page.previousCursor }),
    Resources: [...page.resources],
  };
}
