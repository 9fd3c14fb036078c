import { createStore } from '../../src/backends/create-store.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { buildApp } from '../../src/server/app.js';
import { serveUntilTerminated } from './serve-until-terminated.js';

/**
 * The gateway under test, in its own process: the mapping named by
 * BENCH_MAPPING (its ${env:…} references read from this environment), the
 * same buildApp() as `crosswalk serve`, logging as `serve` with LOG_LEVEL=warn
 * (pino, no line per request), bearer token BENCH_TOKEN. Prints `LISTENING <port>`.
 */
const mappingFile = process.env.BENCH_MAPPING;
const token = process.env.BENCH_TOKEN;
if (mappingFile === undefined || token === undefined)
  throw new Error('BENCH_MAPPING and BENCH_TOKEN are required');

const mapping = await loadMappingFile(mappingFile);
const store = await createStore(mapping);
const app = await buildApp({
  mapping,
  store,
  auth: { bearerTokens: [{ name: 'bench', token }] },
  // As `crosswalk serve` with LOG_LEVEL=warn: pino, no line per request.
  logger: { level: 'warn' },
});
await serveUntilTerminated(app, () => store.close());
