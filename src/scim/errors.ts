/**
 * The one error type of the SCIM protocol (RFC 7644 §3.12). Every failure that
 * reaches a client is a ScimError; backends map their own errors into it in one
 * place each (see src/backends/*\/error-mapping.ts).
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  // RFC 9865 (cursor pagination)
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  /** Seconds, sent as Retry-After (503 backend unavailable, 429 rate limited). */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    detail: string,
    scimType?: ScimType,
    options?: { retryAfter?: number; cause?: unknown },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.retryAfter = options?.retryAfter;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    body.detail = this.message;
    return body;
  }
}

/** Small constructors so call sites read as the RFC does. */
export const scimErrors = {
  invalidFilter: (detail: string) => new ScimError(400, detail, 'invalidFilter'),
  invalidPath: (detail: string) => new ScimError(400, detail, 'invalidPath'),
  invalidSyntax: (detail: string) => new ScimError(400, detail, 'invalidSyntax'),
  invalidValue: (detail: string) => new ScimError(400, detail, 'invalidValue'),
  noTarget: (detail: string) => new ScimError(400, detail, 'noTarget'),
  mutability: (detail: string) => new ScimError(400, detail, 'mutability'),
  tooMany: (detail: string) => new ScimError(400, detail, 'tooMany'),
  invalidCursor: (detail: string) => new ScimError(400, detail, 'invalidCursor'),
  invalidCount: (detail: string) => new ScimError(400, detail, 'invalidCount'),
  uniqueness: (detail: string) => new ScimError(409, detail, 'uniqueness'),
  notFound: (detail: string) => new ScimError(404, detail),
  preconditionFailed: (detail: string) => new ScimError(412, detail),
  unauthorized: (detail: string) => new ScimError(401, detail),
  forbidden: (detail: string) => new ScimError(403, detail),
  payloadTooLarge: (detail: string) => new ScimError(413, detail),
  unavailable: (detail: string, retryAfter = 5) => new ScimError(503, detail, undefined, { retryAfter }),
  tooManyRequests: (detail: string, retryAfter: number) =>
    new ScimError(429, detail, undefined, { retryAfter }),
  notImplemented: (detail: string) => new ScimError(501, detail),
} as const;

export function isScimError(err: unknown): err is ScimError {
  return err instanceof ScimError;
}
