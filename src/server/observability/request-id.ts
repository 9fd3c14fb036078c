import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What we accept from a client as its request id: short, and nothing that could break a log or header. */
const ACCEPTED = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's X-Request-Id when it is a sane token
 * (so a proxy's or an identity provider's id links its logs to ours),
 * otherwise a fresh UUID.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const header = raw.headers[REQUEST_ID_HEADER];
  if (typeof header === 'string' && ACCEPTED.test(header)) return header;
  return randomUUID();
}
