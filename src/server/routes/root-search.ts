import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { scimErrors } from '../../scim/errors.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { searchAcrossResourceTypes } from '../cross-type-search.js';
import { requestBaseUrl } from '../discovery/request-base-url.js';
import type { ResourceService, SearchParams } from '../resource-service.js';
import { sendScim } from '../scim-reply.js';

export interface RootSearchRouteOptions {
  readonly service: ResourceService;
  /** The service a request runs against (hot reload); default: `service`. */
  readonly serviceFor?: (request: FastifyRequest) => ResourceService;
}

const SEARCH_PARAMS = [
  'filter',
  'sortBy',
  'sortOrder',
  'startIndex',
  'count',
  'attributes',
  'excludedAttributes',
  'cursor',
] as const;

/** Search parameters by case-insensitive name; a query parameter given twice is ambiguous. */
function readParams(source: unknown, fromQuery: boolean): SearchParams {
  const params: Record<string, unknown> = {};
  if (!isPlainObject(source)) return params;
  for (const [key, value] of Object.entries(source)) {
    const name = SEARCH_PARAMS.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    if (fromQuery && Array.isArray(value))
      throw scimErrors.invalidValue(`Query parameter '${name}' is given more than once`);
    params[name] = value;
  }
  return params;
}

/**
 * Queries at the server root (RFC 7644 §3.4.2, §3.4.3): `POST /.search` with
 * a SearchRequest body and `GET /` with query parameters, across every
 * resource type the mapping serves.
 */
export const rootSearchRoutes: FastifyPluginAsync<RootSearchRouteOptions> = async (fastify, options) => {
  const serviceOf = options.serviceFor ?? (() => options.service);
  const prefix = fastify.prefix;

  fastify.post('/.search', async (request, reply) => {
    if (!isPlainObject(request.body))
      throw scimErrors.invalidSyntax('A SearchRequest body must be a JSON object');
    const list = await searchAcrossResourceTypes(serviceOf(request), readParams(request.body, false), {
      baseUrl: requestBaseUrl(request, prefix),
    });
    return sendScim(reply, 200, list);
  });

  fastify.get('/', async (request, reply) => {
    const list = await searchAcrossResourceTypes(serviceOf(request), readParams(request.query, true), {
      baseUrl: requestBaseUrl(request, prefix),
    });
    return sendScim(reply, 200, list);
  });
};
