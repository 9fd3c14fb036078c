import Fastify from 'fastify';
import { instantStore, USER_ID } from '../support/instant-store.js';
import { serveUntilTerminated } from '../support/serve-until-terminated.js';

/**
 * The floor for bench/scim-layer/run-layer-bench.ts: Fastify, the same two
 * URLs, the instant store's user as JSON (a list of one for the search). No
 * SCIM, no auth, no hooks. Prints `LISTENING <port>`.
 */
const app = Fastify({ logger: false });
app.get('/scim/v2/Users/:id', async () => instantStore.get('User', USER_ID));
app.get('/scim/v2/Users', async () => ({
  Resources: (await instantStore.search('User', {} as never)).resources,
}));
await serveUntilTerminated(app);
