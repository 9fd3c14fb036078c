/**
 * Exports `discoveryRoutes` (Fastify plugin): GET /ServiceProviderConfig,
 * /Schemas, /Schemas/{urn}, /ResourceTypes, /ResourceTypes/{name}
 * (RFC 7644 §4, RFC 7643 §5–7). Options: DiscoveryRouteOptions. Register
 * inside the SCIM plugin (its error handler turns thrown ScimErrors into
 * responses).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { CompiledMapping } from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import { toListResponse } from '../../scim/list-response.js';
import { requestBaseUrl } from '../discovery/request-base-url.js';
import { resourceTypeRepresentation } from '../discovery/resource-type-representation.js';
import { schemaRepresentation } from '../discovery/schema-representation.js';
import { servedSchemas } from '../discovery/served-schemas.js';
import { serviceProviderConfig } from '../discovery/service-provider-config.js';
import type { ScimLimits } from '../limits.js';
import type { ResourceService } from '../resource-service.js';
import { SCIM_CONTENT_TYPE } from '../scim-reply.js';

export interface DiscoveryRouteOptions {
  readonly mapping: CompiledMapping;
  readonly service: ResourceService;
  readonly limits: ScimLimits;
  /** RFC 9865 cursor paging advertised; default: SQL backends (keyset cursors) yes, others no. */
  readonly cursorPagination?: boolean;
  /** Advertised cursorTimeout in seconds (keyset cursors do not expire; this is a floor). Default 3600. */
  readonly cursorTimeoutSeconds?: number;
  /** Overrides how the absolute SCIM base URL of a request is found (meta.location). */
  readonly baseUrl?: (request: FastifyRequest) => string;
  /** The mapping a request sees when it can change at run time (hot reload); default: `mapping`. */
  readonly current?: (request: FastifyRequest) => {
    readonly mapping: CompiledMapping;
    readonly cursorPagination: boolean;
  };
}

/**
 * RFC 7644 §4: query parameters are ignored on these endpoints, but "if a
 * filter is provided, the service provider SHOULD respond with HTTP status
 * code 403 (Forbidden)" so no client believes its filter was applied.
 */
function refuseFilter(request: FastifyRequest): void {
  const query = request.query;
  if (typeof query === 'object' && query !== null && 'filter' in query) {
    throw scimErrors.forbidden('Filtering is not supported on discovery endpoints (RFC 7644 §4)');
  }
}

export const discoveryRoutes: FastifyPluginAsync<DiscoveryRouteOptions> = async (fastify, options) => {
  const { limits } = options;
  const prefix = fastify.prefix;
  const baseUrlOf = options.baseUrl ?? ((request: FastifyRequest) => requestBaseUrl(request, prefix));
  const cursorTimeoutSeconds = options.cursorTimeoutSeconds ?? 3600;
  const fixed = {
    mapping: options.mapping,
    cursorPagination: options.cursorPagination ?? options.mapping.backend.type === 'sql',
  };
  const currentOf = options.current ?? (() => fixed);
  // Schemas are derived once per mapping (a reload brings a new one).
  const schemasByMapping = new WeakMap<CompiledMapping, ReturnType<typeof servedSchemas>>();
  const viewOf = (request: FastifyRequest) => {
    const { mapping, cursorPagination } = currentOf(request);
    let schemas = schemasByMapping.get(mapping);
    if (schemas === undefined) {
      schemas = servedSchemas(mapping);
      schemasByMapping.set(mapping, schemas);
    }
    return { mapping, schemas, pagination: { cursor: cursorPagination, cursorTimeoutSeconds } };
  };

  fastify.get('/ServiceProviderConfig', async (request, reply) => {
    refuseFilter(request);
    const { mapping, pagination } = viewOf(request);
    reply.type(SCIM_CONTENT_TYPE);
    return serviceProviderConfig(mapping, limits, pagination, baseUrlOf(request));
  });

  fastify.get('/Schemas', async (request, reply) => {
    refuseFilter(request);
    const { schemas } = viewOf(request);
    const baseUrl = baseUrlOf(request);
    const resources = schemas.map((definition) => schemaRepresentation(definition, baseUrl));
    reply.type(SCIM_CONTENT_TYPE);
    return toListResponse({ resources, totalResults: resources.length, startIndex: 1 });
  });

  fastify.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
    refuseFilter(request);
    const { schemas } = viewOf(request);
    const wanted = request.params.id.toLowerCase();
    const definition = schemas.find((candidate) => candidate.id.toLowerCase() === wanted);
    if (definition === undefined)
      throw scimErrors.notFound(`Schema '${request.params.id}' is not served here`);
    reply.type(SCIM_CONTENT_TYPE);
    return schemaRepresentation(definition, baseUrlOf(request));
  });

  fastify.get('/ResourceTypes', async (request, reply) => {
    refuseFilter(request);
    const { mapping } = viewOf(request);
    const baseUrl = baseUrlOf(request);
    const resources = mapping.resourceTypes.map((type) => resourceTypeRepresentation(type, baseUrl));
    reply.type(SCIM_CONTENT_TYPE);
    return toListResponse({ resources, totalResults: resources.length, startIndex: 1 });
  });

  fastify.get<{ Params: { name: string } }>('/ResourceTypes/:name', async (request, reply) => {
    refuseFilter(request);
    const { mapping } = viewOf(request);
    const wanted = request.params.name.toLowerCase();
    const type = mapping.resourceTypes.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (type === undefined)
      throw scimErrors.notFound(`Resource type '${request.params.name}' is not served here`);
    reply.type(SCIM_CONTENT_TYPE);
    return resourceTypeRepresentation(type, baseUrlOf(request));
  });
};
