import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { buildApp } from '../../src/server/app.js';
import { instantStore } from '../support/instant-store.js';
import { serveUntilTerminated } from '../support/serve-until-terminated.js';

/**
 * The gateway as `crosswalk serve` builds it (`buildApp`, pino at warn, a
 * bearer token BENCH_TOKEN, the mapping BENCH_MAPPING) over the instant store, for
 * bench/scim-layer/run-layer-bench.ts. Prints `LISTENING <port>`.
 */
// The bench mapping names a database; the instant store stands in, so nothing connects to it.
process.env.BENCH_PG_DATABASE ??= 'not-connected';
// The orchestrator names the mapping: this file runs compiled from .bench-build/, which has no bench/mappings.
const mappingFile = process.env.BENCH_MAPPING;
if (mappingFile === undefined) throw new Error('BENCH_MAPPING is required');
const mapping = await loadMappingFile(mappingFile);
const app = await buildApp({
  mapping,
  store: instantStore,
  auth: { bearerTokens: [{ name: 'bench', token: process.env.BENCH_TOKEN ?? '' }] },
  logger: { level: 'warn' },
});
await serveUntilTerminated(app);
