import type { FastifyBaseLogger } from 'fastify';

export type AuditOperation = 'create' | 'replace' | 'patch' | 'delete';

/** One line of the audit trail: who changed what, never values. */
export interface AuditEntry {
  readonly requestId: string;
  readonly tenant: string;
  /** The credential's configured name (never the token), or `anonymous`. */
  readonly actor: string;
  /** `http` for the resource endpoints, `bulk` for an operation inside POST /Bulk. */
  readonly via: 'http' | 'bulk';
  readonly operation: AuditOperation;
  readonly resourceType: string;
  /** Absent for a create that failed before the backend assigned an id. */
  readonly resourceId?: string;
  /** The DN or table key the store reported. */
  readonly backendObject?: string;
  /** Attribute names the request set or touched. */
  readonly attributes: readonly string[];
  /** HTTP status of the operation (201, 200, 204, or the error's). */
  readonly status: number;
  /** SCIM error type of a failed operation. */
  readonly scimType?: string;
}

/** Where audit entries go: a pino logger whose lines carry `audit: true`. */
export interface AuditLog {
  record(entry: AuditEntry): void;
}

/**
 * An audit trail written by `logger` (a child of the request logger, or a
 * logger of its own writing to a file). Each entry is one JSON line with
 * `audit: true`, so a log pipeline can route the trail apart from the rest.
 */
export function createAuditLog(logger: FastifyBaseLogger): AuditLog {
  const audit = logger.child({ audit: true });
  return {
    record(entry) {
      audit.info(entry, 'audit');
    },
  };
}
