import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { REDACTED_LOG_PATHS, REDACTION_CENSOR } from '../../src/server/log-redaction.js';
import { LazyRequestLogger } from '../../src/server/observability/lazy-request-logger.js';
import { AUTH, startDemoApp } from '../server/support/demo-app.js';
import { LogCapture } from './support/log-capture.js';

function parentLogger(level: string, log: LogCapture) {
  const parent = pino({ level, redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTION_CENSOR } }, log);
  const child = vi.spyOn(parent, 'child');
  return { parent: parent as unknown as FastifyBaseLogger, child };
}

const make = (parent: FastifyBaseLogger, options = {}) =>
  LazyRequestLogger.factory.call(
    undefined as never,
    parent,
    { requestId: 'r-1' },
    options,
    undefined as never,
  );

describe('the per-request logger, made on first write', () => {
  it('makes no child for calls below the level, and writes nothing', () => {
    const log = new LogCapture();
    const { parent, child } = parentLogger('warn', log);
    const logger = make(parent);
    logger.info({ route: '/x' }, 'request');
    logger.debug('detail');
    expect(child).not.toHaveBeenCalled();
    expect(log.lines).toHaveLength(0);
    expect(logger.level).toBe('warn');
  });

  it('writes the line a child would, with the request id bound and secrets redacted', async () => {
    const log = new LogCapture();
    const { parent, child } = parentLogger('warn', log);
    const logger = make(parent);
    logger.warn({ headers: { authorization: 'Bearer secret-token' } }, 'careful');
    logger.error(new Error('broken'), 'failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(child).toHaveBeenCalledTimes(1);
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatchObject({ level: 40, requestId: 'r-1', msg: 'careful' });
    expect(log.lines[0]?.headers).toEqual({ authorization: REDACTION_CENSOR });
    expect(log.lines[1]).toMatchObject({ level: 50, requestId: 'r-1', msg: 'failed' });
    expect(log.text()).not.toContain('secret-token');
  });

  it('follows the parent level until its own is set, then keeps its own', () => {
    const log = new LogCapture();
    const { parent } = parentLogger('warn', log);
    const logger = make(parent);
    parent.level = 'info';
    expect(logger.level).toBe('info');
    logger.level = 'error';
    expect(logger.level).toBe('error');
    expect(parent.level).toBe('info');
    logger.warn('dropped');
    expect(log.lines).toHaveLength(0);
  });

  it('hands child() and route options (own level) to a real pino child', () => {
    const log = new LogCapture();
    const { parent, child } = parentLogger('warn', log);
    const withOptions = make(parent, { level: 'debug' });
    expect(withOptions).not.toBeInstanceOf(LazyRequestLogger);
    expect(withOptions.level).toBe('debug');
    const grandchild = make(parent).child({ component: 'x' });
    grandchild.warn('hello');
    expect(child).toHaveBeenCalledTimes(3);
  });

  it('is what the app gives requests: a fault still logs with the request id, a success writes nothing', async () => {
    const log = new LogCapture();
    const demo = await startDemoApp({ logger: { level: 'warn', stream: log } });
    try {
      const ok = await demo.app.inject({
        url: '/scim/v2/Users',
        headers: { ...AUTH, 'x-request-id': 'req-ok' },
      });
      expect(ok.statusCode).toBe(200);
      expect(log.matching({ requestId: 'req-ok' })).toHaveLength(0);
      vi.spyOn(demo.store, 'search').mockRejectedValue(new Error('disk on fire'));
      const broken = await demo.app.inject({
        url: '/scim/v2/Users',
        headers: { ...AUTH, 'x-request-id': 'req-42' },
      });
      expect(broken.statusCode).toBe(500);
      expect(log.matching({ requestId: 'req-42', msg: 'internal error' })).toHaveLength(1);
    } finally {
      await demo.close();
    }
  });
});
