import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_LOG_PATHS, REDACTION_CENSOR, withRedaction } from '../../../src/server/log-redaction.js';
import { type AuthDemo, startAuthDemo } from './auth-demo.js';
import { basic } from './scim-response.js';

const TOKEN = 'log-token-SECRET-4d2f8a6c0e1b3957';
const WRONG_TOKEN = 'wrong-token-SECRET-9a7c5e3b1d0f2468';
const BASIC_PASSWORD = 'basic-pw-SECRET-13579';
const USER_PASSWORD = 'user-pw-SECRET-24680';
const SECRETS = [TOKEN, WRONG_TOKEN, BASIC_PASSWORD, USER_PASSWORD];

/** Every line the app logs, as written (JSON text). */
function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return { stream, lines };
}

describe('no secret in a log line', () => {
  let demo: AuthDemo;
  let log: ReturnType<typeof capture>;

  beforeAll(async () => {
    log = capture();
    demo = await startAuthDemo(
      {
        auth: { bearerTokens: [{ name: 'writer', token: TOKEN }] },
        logger: { level: 'trace', stream: log.stream },
      },
      (app) => {
        // What a careless debug line would do: log the whole request head and body.
        app.addHook('preHandler', async (request) => {
          request.log.info({ req: { headers: request.headers }, body: request.body }, 'debug dump');
        });
      },
    );
  });
  afterAll(async () => {
    await demo.close();
  });

  it('request logs, debug dumps and error logs carry no token or password', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
    await demo.app.inject({ url: '/scim/v2/Users?count=1', headers: auth });
    await demo.app.inject({ url: '/scim/v2/Users', headers: { authorization: `Bearer ${WRONG_TOKEN}` } });
    await demo.app.inject({
      url: '/scim/v2/Users',
      headers: { authorization: basic('ops', BASIC_PASSWORD) },
    });
    const created = await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: auth,
      payload: JSON.stringify({ userName: 'logged.user@example.com', password: USER_PASSWORD }),
    });
    expect(created.statusCode, created.body).toBe(201);
    await demo.app.inject({
      method: 'POST',
      url: '/scim/v2/Bulk',
      headers: auth,
      payload: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          {
            method: 'POST',
            bulkId: 'b1',
            path: '/Users',
            data: { userName: 'bulk.user@example.com', password: USER_PASSWORD },
          },
        ],
      }),
    });

    const text = log.lines.join('\n');
    expect(text).toContain('logged.user@example.com');
    expect(text).toContain('bulk.user@example.com');
    // The dump ran and was censored: the test would see secrets if redaction were off.
    expect(log.lines.some((line) => line.includes('debug dump'))).toBe(true);
    expect(text).toContain(REDACTION_CENSOR);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // Nor in any response.
    expect(created.body).not.toContain(USER_PASSWORD);
  });
});

describe('the redaction configuration', () => {
  it.each([
    ['req.headers.authorization', { req: { headers: { authorization: 'Bearer abc-SECRET' } } }],
    ['headers.cookie', { headers: { cookie: 'session=abc-SECRET' } }],
    ['a bind password', { bind: { dn: 'cn=admin', password: 'abc-SECRET' } }],
    ['unicodePwd in a change', { change: { unicodePwd: 'abc-SECRET' } }],
    ['a connection string', { backend: { connectionString: 'postgres://u:abc-SECRET@db/x' } }],
    ['a Bulk operation password', { body: { Operations: [{ data: { password: 'abc-SECRET' } }] } }],
  ])('censors %s', (_label, object) => {
    const lines: string[] = [];
    const options = withRedaction({ level: 'info' });
    if (typeof options !== 'object' || options === null || !('redact' in options))
      throw new Error('no redaction');
    const logger = pino(
      { redact: options.redact },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    logger.info(object, 'line');
    expect(lines.join('')).not.toContain('abc-SECRET');
    expect(lines.join('')).toContain(REDACTION_CENSOR);
  });

  it('keeps paths a caller adds', () => {
    const options = withRedaction({ level: 'info', redact: ['custom.secret'] });
    expect(options).toMatchObject({
      redact: { paths: expect.arrayContaining(['custom.secret', ...REDACTED_LOG_PATHS]) },
    });
    expect(withRedaction(false)).toBe(false);
  });
});
