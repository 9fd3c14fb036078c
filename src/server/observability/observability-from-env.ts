import pino from 'pino';
import type { AppOptions } from '../app.js';
import { createAuditLog } from './audit-log.js';

/**
 * The observability settings `crosswalk serve` reads from the environment:
 * CROSSWALK_AUDIT_FILE (append the audit trail to this file instead of the
 * main log), CROSSWALK_METRICS_TOKEN (bearer token required at /metrics),
 * CROSSWALK_METRICS=off (no /metrics at all). Audit lines are written
 * synchronously: few, and none may be lost when the process exits.
 */
export function observabilityFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<AppOptions, 'audit' | 'metrics'> {
  const auditFile = env.CROSSWALK_AUDIT_FILE;
  const metricsToken = env.CROSSWALK_METRICS_TOKEN;
  const metricsOff = env.CROSSWALK_METRICS === 'off';
  return {
    ...(auditFile === undefined || auditFile === ''
      ? {}
      : {
          audit: createAuditLog(
            pino({}, pino.destination({ dest: auditFile, mkdir: true, append: true, sync: true })),
          ),
        }),
    metrics: {
      enabled: !metricsOff,
      ...(metricsToken === undefined || metricsToken === '' ? {} : { token: metricsToken }),
    },
  };
}
