import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type DemoApp, startDemoApp, TOKEN } from '../server/support/demo-app.js';
import { LogCapture } from './support/log-capture.js';

describe('request log: one JSON line per request', () => {
  let demo: DemoApp;
  const log = new LogCapture();

  beforeAll(async () => {
    demo = await startDemoApp({ logger: { level: 'info', stream: log } });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('honours an incoming X-Request-Id, echoes it and logs tenant, method, resource type, status, duration', async () => {
    const response = await demo.app.inject({
      url: '/scim/v2/Users?filter=userName%20eq%20%22ada.secret.person%40example.com%22',
      headers: { ...AUTH, 'x-request-id': 'entra-7f3a-0001' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('entra-7f3a-0001');

    const lines = log.matching({ requestId: 'entra-7f3a-0001' });
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? {};
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      tenant: 'default',
      method: 'GET',
      path: '/scim/v2/Users',
      route: '/scim/v2/Users',
      resourceType: 'User',
      credential: 'test',
      status: 200,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    // The query string carries personal data (filter values): never logged.
    expect(log.text()).not.toContain('ada.secret.person');
  });

  it('generates an id when none is sent, and when the sent one is not a sane token', async () => {
    const plain = await demo.app.inject({ url: '/scim/v2/Groups', headers: AUTH });
    const generated = plain.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(log.matching({ requestId: generated as string, resourceType: 'Group', status: 200 })).toHaveLength(
      1,
    );

    const hostile = 'evil\tid with spaces and more'.padEnd(300, 'x');
    const replaced = await demo.app.inject({
      url: '/scim/v2/Groups',
      headers: { ...AUTH, 'x-request-id': hostile },
    });
    expect(replaced.headers['x-request-id']).not.toBe(hostile);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(log.text()).not.toContain('evil');
  });

  it('logs refused requests without the credential they presented', async () => {
    const response = await demo.app.inject({
      url: '/scim/v2/Users/some-id',
      headers: { authorization: 'Bearer not-the-token-9f8e7d', 'x-request-id': 'refused-1' },
    });
    expect(response.statusCode).toBe(401);
    const [line] = log.matching({ requestId: 'refused-1' }).filter((entry) => entry.msg === 'request');
    expect(line).toMatchObject({ status: 401, route: '/scim/v2/Users/:id', resourceType: 'User' });
    expect(line).not.toHaveProperty('credential');
    expect(log.text()).not.toContain('not-the-token-9f8e7d');
    expect(log.text()).not.toContain(TOKEN);
  });

  it('names unknown routes by a fixed label, not by their URL', async () => {
    await demo.app.inject({ url: '/no/such/place', headers: { 'x-request-id': 'lost-1' } });
    expect(log.matching({ requestId: 'lost-1', msg: 'request' })[0]).toMatchObject({
      status: 404,
      route: 'unmatched',
    });
  });

  it('keeps probes at debug level so they do not drown the log', async () => {
    await demo.app.inject({ url: '/healthz', headers: { 'x-request-id': 'probe-1' } });
    expect(log.matching({ requestId: 'probe-1' })).toHaveLength(0);
  });
});
