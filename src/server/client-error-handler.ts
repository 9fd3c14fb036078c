import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ScimError } from '../scim/errors.js';
import { SCIM_CONTENT_TYPE } from './scim-reply.js';

/** Node's parser codes for a request it refuses before Fastify sees it. */
function statusOf(code: string): { status: number; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, detail: 'The request headers are larger than the server accepts' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, detail: 'The request was not received in time' };
  return { status: 400, detail: 'The request is not valid HTTP' };
}

/**
 * Errors raised while Node parses a request (headers too large, request
 * timeout, malformed HTTP) answered as SCIM errors instead of Fastify's
 * plain JSON; the connection is closed as Node does.
 */
export function scimClientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = statusOf(error.code ?? '');
  if (socket.writable) {
    const body = JSON.stringify(new ScimError(status, detail).toBody());
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
