import Fastify from 'fastify';
import { serveUntilTerminated } from '../support/serve-until-terminated.js';
import { BoundPool } from './bound-pool.js';
import { userById, userByName } from './user-searches.js';

/**
 * The floor any HTTP gateway pays: Fastify, the same ldapts search on a
 * pooled bound connection (as many as the mapping's pool), the raw entry as
 * JSON. No SCIM, no auth. Prints `LISTENING <port>`.
 */
const { LDAP_URL, LDAP_BIND_DN, LDAP_BIND_PASSWORD, BENCH_POOL_SIZE } = process.env;
if (LDAP_URL === undefined || LDAP_BIND_DN === undefined || LDAP_BIND_PASSWORD === undefined)
  throw new Error('LDAP_URL, LDAP_BIND_DN and LDAP_BIND_PASSWORD are required');
const pool = await BoundPool.open(LDAP_URL, LDAP_BIND_DN, LDAP_BIND_PASSWORD, Number(BENCH_POOL_SIZE ?? 4));
const app = Fastify({ logger: false });

app.get('/users', async (request, reply) => {
  const { userName } = request.query as { userName?: string };
  return reply.send(await pool.use((client) => userByName(client, userName ?? '')));
});

app.get('/users/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const entries = await pool.use((client) => userById(client, id));
  if (entries.length === 0) return reply.code(404).send({ error: 'not found' });
  return reply.send(entries[0]);
});

await serveUntilTerminated(app, () => pool.close());
