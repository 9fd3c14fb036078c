import type { FastifyServerOptions } from 'fastify';

/**
 * Log paths that can carry a secret, censored by pino before a line is
 * written: credentials in request headers (as Fastify's `req` serializer or a
 * custom request log would put them), passwords in SCIM bodies (also within
 * Bulk operations), and LDAP / SQL secrets if a backend error object is logged.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
  'request.headers.authorization',
  'authorization',
  'password',
  'body.password',
  'req.body.password',
  'body.Operations[*].data.password',
  'body.Operations[*].value.password',
  '*.password',
  '*.unicodePwd',
  '*.userPassword',
  '*.bindPassword',
  '*.connectionString',
  'bind.password',
  'connection.password',
  'connection.connectionString',
  'token',
  '*.token',
];

export const REDACTION_CENSOR = '[redacted]';

type LoggerOption = FastifyServerOptions['logger'];

/** Fastify's logger option with the redaction added (kept when the caller already lists paths). */
export function withRedaction(logger: LoggerOption): LoggerOption {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : logger;
  const existing = base.redact;
  const paths = Array.isArray(existing) ? existing : (existing?.paths ?? []);
  return {
    ...base,
    redact: { paths: [...new Set([...REDACTED_LOG_PATHS, ...paths])], censor: REDACTION_CENSOR },
  };
}
