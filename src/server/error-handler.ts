import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isScimError, ScimError, scimErrors } from '../scim/errors.js';
import { AuthenticationError } from './auth/authenticator.js';
import { SCIM_CONTENT_TYPE } from './scim-reply.js';

/** Sent with every 401 (RFC 6750 §3). */
export const WWW_AUTHENTICATE = 'Bearer realm="crosswalk"';

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === 'string';
}

/**
 * Fastify's own client errors (raised before a route runs: body parsing,
 * content type, limits) as the SCIM errors a client expects.
 */
function fromFastifyError(error: FastifyError): ScimError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return scimErrors.payloadTooLarge('The request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(415, 'Content-Type must be application/scim+json or application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return scimErrors.invalidSyntax('The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return scimErrors.invalidSyntax('Content-Length does not match the request body');
    default:
      break;
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Other client errors Fastify knows (bad URL encoding, validation …): keep the status, no internals.
    return new ScimError(status, error.message);
  }
  return undefined;
}

/** Turns any error into a SCIM error response; only genuine server faults become 500, and are logged. */
export function scimErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let scimError: ScimError | undefined;
  if (isScimError(error)) scimError = error;
  else if (isFastifyError(error)) scimError = fromFastifyError(error);
  if (scimError === undefined) {
    // Log what identifies the fault, never request bodies or bound values.
    const fault = error instanceof Error ? error : new Error(String(error));
    request.log.error(
      { err: { name: fault.name, message: fault.message, stack: fault.stack } },
      'internal error',
    );
    scimError = new ScimError(500, 'Internal server error');
  } else if (scimError.status >= 500) {
    request.log.warn({ status: scimError.status, detail: scimError.message }, 'request failed');
  }
  if (scimError.retryAfter !== undefined) reply.header('Retry-After', String(scimError.retryAfter));
  if (scimError.status === 401)
    reply.header(
      'WWW-Authenticate',
      scimError instanceof AuthenticationError ? scimError.challenge : WWW_AUTHENTICATE,
    );
  return reply.code(scimError.status).type(SCIM_CONTENT_TYPE).send(scimError.toBody());
}

/** Unknown routes are SCIM 404s too. */
export function scimNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  return scimErrorHandler(scimErrors.notFound(`No endpoint ${request.method} ${path}`), request, reply);
}
