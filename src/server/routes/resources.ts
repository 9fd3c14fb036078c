import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WriteCondition } from '../../backends/resource-store.js';
import type { CompiledResourceType } from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import { etagMatches } from '../../scim/etag.js';
import { isPlainObject } from '../../scim/schema/coerce-value.js';
import { requestBaseUrl } from '../discovery/request-base-url.js';
import {
  type AttributeSelection,
  parseSelection,
  type RequestContext,
  type ResourceResult,
  type ResourceService,
  type SearchParams,
} from '../resource-service.js';
import { sendScim } from '../scim-reply.js';

export interface ResourceRouteOptions {
  /** The service whose mapping decides which endpoints exist. */
  readonly service: ResourceService;
  /** The service a request runs against (hot reload, audit); default: `service`. */
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

/** Each parameter name by its lower-case form, for the case-insensitive match below. */
const PARAM_BY_LOWER_CASE = new Map<string, (typeof SEARCH_PARAMS)[number]>(
  SEARCH_PARAMS.map((name) => [name.toLowerCase(), name]),
);

/** Parameter names are matched case-insensitively (RFC 7644 §3.10 tolerance); a repeated parameter is ambiguous. */
function readParams(source: unknown, allowArrays: boolean): Record<(typeof SEARCH_PARAMS)[number], unknown> {
  const params: Record<string, unknown> = {};
  if (!isPlainObject(source)) return params;
  for (const [key, value] of Object.entries(source)) {
    const name = PARAM_BY_LOWER_CASE.get(key.toLowerCase());
    if (name === undefined) continue;
    if (!allowArrays && Array.isArray(value))
      throw scimErrors.invalidValue(`Query parameter '${name}' is given more than once`);
    params[name] = value;
  }
  return params;
}

function selectionOf(request: FastifyRequest): AttributeSelection {
  const params = readParams(request.query, false);
  return parseSelection(params.attributes, params.excludedAttributes);
}

function conditionOf(request: FastifyRequest): WriteCondition {
  const ifMatch = request.headers['if-match'];
  return typeof ifMatch === 'string' && ifMatch.trim() !== '' ? { ifMatch: ifMatch.trim() } : {};
}

function idOf(request: FastifyRequest): string {
  const params = request.params as { id?: string };
  const id = params.id ?? '';
  if (id === '') throw scimErrors.notFound('Resource id missing');
  return id;
}

function sendResource(reply: FastifyReply, status: number, result: ResourceResult): FastifyReply {
  if (result.etag !== undefined) reply.header('ETag', result.etag);
  return sendScim(reply, status, result.resource);
}

/**
 * The resource endpoints (RFC 7644 §3.2–3.6) for every resource type of the
 * mapping, at the type's endpoint (`/Users`, `/Groups`). All work happens in
 * the ResourceService; this file only speaks HTTP.
 */
export const resourceRoutes: FastifyPluginAsync<ResourceRouteOptions> = async (fastify, options) => {
  const { service } = options;
  const serviceOf = options.serviceFor ?? (() => service);
  const prefix = fastify.prefix;
  const contextOf = (request: FastifyRequest): RequestContext => ({
    baseUrl: requestBaseUrl(request, prefix),
  });

  const register = (resourceType: CompiledResourceType): void => {
    const type = resourceType.name;
    const endpoint = resourceType.schema.resourceType.endpoint;

    fastify.get(endpoint, async (request, reply) => {
      const list = await serviceOf(request).search(
        type,
        readParams(request.query, false) as SearchParams,
        contextOf(request),
      );
      return sendScim(reply, 200, list);
    });

    fastify.post(`${endpoint}/.search`, async (request, reply) => {
      if (!isPlainObject(request.body))
        throw scimErrors.invalidSyntax('A SearchRequest body must be a JSON object');
      const list = await serviceOf(request).search(
        type,
        readParams(request.body, true) as SearchParams,
        contextOf(request),
      );
      return sendScim(reply, 200, list);
    });

    fastify.get(`${endpoint}/:id`, async (request, reply) => {
      const result = await serviceOf(request).get(
        type,
        idOf(request),
        selectionOf(request),
        contextOf(request),
      );
      const ifNoneMatch = request.headers['if-none-match'];
      if (
        typeof ifNoneMatch === 'string' &&
        result.etag !== undefined &&
        etagMatches(ifNoneMatch, result.etag)
      ) {
        return reply.code(304).header('ETag', result.etag).send();
      }
      return sendResource(reply, 200, result);
    });

    fastify.post(endpoint, async (request, reply) => {
      const result = await serviceOf(request).create(
        type,
        request.body,
        selectionOf(request),
        contextOf(request),
      );
      reply.header('Location', result.location);
      return sendResource(reply, 201, result);
    });

    fastify.put(`${endpoint}/:id`, async (request, reply) => {
      const result = await serviceOf(request).replace(
        type,
        idOf(request),
        request.body,
        conditionOf(request),
        selectionOf(request),
        contextOf(request),
      );
      return sendResource(reply, 200, result);
    });

    fastify.patch(`${endpoint}/:id`, async (request, reply) => {
      const result = await serviceOf(request).patch(
        type,
        idOf(request),
        request.body,
        conditionOf(request),
        selectionOf(request),
        contextOf(request),
      );
      if (result.noContent === true) {
        if (result.etag !== undefined) reply.header('ETag', result.etag);
        return reply.code(204).send();
      }
      return sendResource(reply, 200, result);
    });

    fastify.delete(`${endpoint}/:id`, async (request, reply) => {
      await serviceOf(request).delete(type, idOf(request), conditionOf(request));
      return reply.code(204).send();
    });
  };

  for (const resourceType of service.mapping.resourceTypes) register(resourceType);
};
