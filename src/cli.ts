#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStore } from './backends/create-store.js';
import { hashSecretFrom } from './config/hash-secret-command.js';
import { serveFromConfig } from './config/serve-from-config.js';
import { validateConfigFile } from './config/validate-config-file.js';
import type { CompiledMapping } from './mapping/compiled-mapping.js';
import { loadMappingFile } from './mapping/load-mapping.js';
import { formatIssues } from './mapping/mapping-error.js';
import { validateMappingFile } from './mapping/validate-mapping.js';
import { startGatewayRuntime } from './runtime/gateway-runtime.js';
import { isScimError } from './scim/errors.js';
import { parseFilter } from './scim/filter/parser.js';
import { validateFilter } from './scim/filter/validate-filter.js';
import { buildApp, DEFAULT_BASE_PATH } from './server/app.js';
import { observabilityFromEnv } from './server/observability/observability-from-env.js';

const DEFAULT_MAPPING = fileURLToPath(new URL('../mappings/demo-sqlite.yaml', import.meta.url));

const USAGE = `Usage:
  crosswalk serve [<mapping.yaml> | --mapping FILE] [--host HOST] [--port PORT]
      Serve SCIM 2.0 at http://HOST:PORT${DEFAULT_BASE_PATH}.
      Defaults: CROSSWALK_MAPPING or the embedded SQLite demo; HOST or 127.0.0.1; PORT or 8080.
      The bearer token is CROSSWALK_TOKEN; when unset one is generated and printed.
  crosswalk serve --config crosswalk.yaml [--host HOST] [--port PORT]
      Serve every tenant of a gateway configuration (or CROSSWALK_CONFIG): credentials, TLS,
      limits and rate limits as configured (docs/security.md).
  crosswalk validate <mapping.yaml> | --config crosswalk.yaml
      Check a mapping file, or a configuration and every mapping it names;
      prints file:line:col: message for every problem.
  crosswalk hash-secret [--scrypt] < secret
      Print the tokenHash / passwordHash of the secret read from stdin (sha256, or scrypt).
  crosswalk explain <mapping.yaml> '<SCIM filter>' [--resource User]
      Print the backend query a filter becomes (no connection needed).
`;

/** Exit codes: 0 ok, 1 the input is wrong (invalid mapping, bad filter), 2 wrong usage. */
class UsageError extends Error {}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function printError(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** What a mapping problem looks like on a terminal: the loader's positioned issues, or its message. */
function describeLoadError(error: unknown): string {
  if (error instanceof Error && 'issues' in error && Array.isArray(error.issues))
    return formatIssues(error.issues);
  return error instanceof Error ? error.message : String(error);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid port '${text}'`);
  return port;
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      mapping: { type: 'string' },
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 1 || (positionals.length === 1 && values.mapping !== undefined))
    throw new UsageError('serve takes at most one mapping file');
  const configFile = values.config ?? process.env.CROSSWALK_CONFIG;
  if (configFile !== undefined && configFile !== '') {
    if (positionals.length > 0 || values.mapping !== undefined)
      throw new UsageError('--config names the mappings; give no mapping file with it');
    const portText = values.port ?? process.env.PORT;
    try {
      await serveFromConfig(configFile, {
        ...((values.host ?? process.env.HOST) === undefined ? {} : { host: values.host ?? process.env.HOST }),
        ...(portText === undefined ? {} : { port: parsePort(portText) }),
        print,
      });
    } catch (error) {
      if (!(error instanceof Error && 'issues' in error)) throw error;
      printError(describeLoadError(error));
      return 1;
    }
    return 0;
  }
  const mappingFile = values.mapping ?? positionals[0] ?? process.env.CROSSWALK_MAPPING ?? DEFAULT_MAPPING;
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  const port = parsePort(values.port ?? process.env.PORT ?? '8080');

  let mapping: CompiledMapping;
  try {
    mapping = await loadMappingFile(mappingFile);
  } catch (error) {
    printError(describeLoadError(error));
    return 1;
  }
  const store = await createStore(mapping);

  const configuredToken = process.env.CROSSWALK_TOKEN;
  const token =
    configuredToken !== undefined && configuredToken !== ''
      ? configuredToken
      : randomBytes(24).toString('base64url');
  const app = await buildApp({
    mapping,
    store,
    auth: { bearerTokens: [{ name: 'default', token }] },
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    ...observabilityFromEnv(),
  });

  // SIGHUP and file changes reload the mapping; SIGTERM/SIGINT drain requests, close pools, exit 0.
  await startGatewayRuntime(app, {
    mappingFiles: [{ tenant: 'default', file: mappingFile }],
    watch: process.env.CROSSWALK_WATCH_MAPPINGS !== 'false',
    cleanup: () => store.close(),
  });

  await app.listen({ host, port });
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const baseUrl = `http://${shownHost}:${boundPort}${DEFAULT_BASE_PATH}`;
  print(`Crosswalk serving ${mapping.source}`);
  print(`SCIM base URL: ${baseUrl}`);
  if (configuredToken === undefined || configuredToken === '') {
    print(`Bearer token (generated; set CROSSWALK_TOKEN to choose one): ${token}`);
  } else {
    print('Bearer token: from CROSSWALK_TOKEN');
  }
  const shownToken = configuredToken === undefined || configuredToken === '' ? token : '$CROSSWALK_TOKEN';
  print(`Try: curl -H "Authorization: Bearer ${shownToken}" ${baseUrl}/Users`);
  return 0;
}

async function validate(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string' } },
  });
  const file = positionals[0];
  if (values.config !== undefined) {
    if (positionals.length > 0) throw new UsageError('validate takes a mapping file or --config, not both');
    const checked = await validateConfigFile(values.config);
    if (checked.ok) {
      print('ok');
      return 0;
    }
    printError(formatIssues(checked.issues));
    return 1;
  }
  if (file === undefined || positionals.length > 1)
    throw new UsageError('validate needs exactly one mapping file');
  const result = await validateMappingFile(file);
  if (result.ok) {
    print('ok');
    return 0;
  }
  printError(formatIssues(result.issues));
  return 1;
}

async function explain(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { resource: { type: 'string', default: 'User' } },
  });
  const [file, filterText] = positionals;
  if (file === undefined || filterText === undefined || positionals.length > 2) {
    throw new UsageError(`explain needs a mapping file and a filter`);
  }
  let mapping: CompiledMapping;
  try {
    mapping = await loadMappingFile(file);
  } catch (error) {
    printError(describeLoadError(error));
    return 1;
  }
  const wanted = values.resource.toLowerCase();
  const resourceType = mapping.resourceTypes.find((type) => type.name.toLowerCase() === wanted);
  if (resourceType === undefined) {
    printError(`Resource type '${values.resource}' is not in ${mapping.source}`);
    return 1;
  }
  try {
    const filter = parseFilter(filterText);
    validateFilter(resourceType.schema, filter);
    // Without the bootstrap, creating the store opens no connection (pools connect lazily).
    const offline: CompiledMapping =
      mapping.backend.type === 'sql'
        ? { ...mapping, backend: { ...mapping.backend, bootstrap: undefined } }
        : mapping;
    const store = await createStore(offline);
    try {
      print(store.explain(resourceType.name, { filter, startIndex: 1, count: 100 }));
    } finally {
      await store.close();
    }
    return 0;
  } catch (error) {
    if (isScimError(error)) {
      printError(`${error.scimType ?? error.status}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'validate':
        return await validate(rest);
      case 'explain':
        return await explain(rest);
      case 'hash-secret': {
        const { values } = parseArgs({ args: rest, options: { scrypt: { type: 'boolean' } } });
        try {
          print(await hashSecretFrom(process.stdin, values.scrypt === true ? 'scrypt' : 'sha256'));
          return 0;
        } catch (error) {
          printError(error instanceof Error ? error.message : String(error));
          return 1;
        }
      }
      case 'help':
      case '--help':
      case '-h':
        print(USAGE);
        return 0;
      default:
        printError(command === undefined ? USAGE : `Unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown options.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      printError(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

/** True when run as a program (tsx src/cli.ts, node dist/cli.js, or the npm bin symlink), not when imported by tests. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      // `serve` keeps running; the others end here.
      if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
    },
    (error: unknown) => {
      printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}
