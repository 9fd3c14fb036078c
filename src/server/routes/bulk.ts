/**
 * Exports `bulkRoute` (Fastify plugin): POST /Bulk (RFC 7644 §3.7).
 * Options: BulkRouteOptions. Register inside the SCIM plugin (its content
 * type parser reads application/scim+json; its error handler turns thrown
 * ScimErrors into responses).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { CompiledMapping } from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import { parseBulkRequest } from '../bulk/bulk-request.js';
import { runBulk } from '../bulk/run-bulk.js';
import { requestBaseUrl } from '../discovery/request-base-url.js';
import type { ScimLimits } from '../limits.js';
import type { ResourceService } from '../resource-service.js';
import { SCIM_CONTENT_TYPE } from '../scim-reply.js';

export interface BulkRouteOptions {
  readonly mapping: CompiledMapping;
  readonly service: ResourceService;
  /** The service a request runs against (hot reload, audit); default: `service`. */
  readonly serviceFor?: (request: FastifyRequest) => ResourceService;
  /** maxBulkOperations and bodyLimit (= advertised maxPayloadSize). */
  readonly limits: ScimLimits;
  /** Overrides how the absolute SCIM base URL of a request is found (locations, `$ref`s). */
  readonly baseUrl?: (request: FastifyRequest) => string;
}

export const bulkRoute: FastifyPluginAsync<BulkRouteOptions> = async (fastify, options) => {
  const { service, limits } = options;
  const serviceOf = options.serviceFor ?? (() => service);
  const prefix = fastify.prefix;
  const baseUrlOf = options.baseUrl ?? ((request: FastifyRequest) => requestBaseUrl(request, prefix));

  fastify.post('/Bulk', { bodyLimit: limits.bodyLimit }, async (request, reply) => {
    // RFC 7644 §3.7.4: a payload over maxPayloadSize is 413 — also when a parser allowed more.
    const declaredLength = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declaredLength) && declaredLength > limits.bodyLimit) {
      throw scimErrors.payloadTooLarge(
        `The size of the bulk operation exceeds the maxPayloadSize (${limits.bodyLimit} bytes)`,
      );
    }
    const bulkRequest = parseBulkRequest(request.body, limits.maxBulkOperations);
    const response = await runBulk(
      serviceOf(request),
      bulkRequest,
      { baseUrl: baseUrlOf(request) },
      { onUnexpectedError: (err) => request.log.error({ err }, 'bulk operation failed unexpectedly') },
    );
    reply.type(SCIM_CONTENT_TYPE);
    return response;
  });
};
