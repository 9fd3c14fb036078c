import type { FastifyInstance } from 'fastify';
import { scimErrors } from '../scim/errors.js';

/** The media types a SCIM write may carry (RFC 7644 §3.1 plus plain JSON for simple clients). */
export const ACCEPTED_BODY_TYPES = ['application/scim+json', 'application/json'];

/**
 * Registers the plugin's only body parsers: `application/scim+json` and
 * `application/json` (any charset parameter). Everything else is refused by
 * Fastify as 415 before a route runs. An empty body parses to undefined so
 * the route decides whether it needs one.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    ACCEPTED_BODY_TYPES,
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(scimErrors.invalidSyntax('The request body is not valid JSON'), undefined);
      }
    },
  );
}
