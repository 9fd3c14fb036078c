import type { MappingIssue } from '../mapping/mapping-error.js';
import { validateMappingFile } from '../mapping/validate-mapping.js';
import { ConfigError } from './config-error.js';
import { loadGatewayConfigFile } from './load-gateway-config.js';

/** `crosswalk validate --config FILE`: the configuration, then every mapping it names; all problems at once. */
export async function validateConfigFile(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: true } | { ok: false; issues: readonly MappingIssue[] }> {
  let mappingFiles: string[];
  try {
    const config = await loadGatewayConfigFile(file, env);
    mappingFiles = [...new Set(config.tenants.map((tenant) => tenant.mappingFile))];
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
  const issues: MappingIssue[] = [];
  for (const mappingFile of mappingFiles) {
    const result = await validateMappingFile(mappingFile, env);
    if (!result.ok) issues.push(...result.issues);
  }
  return issues.length === 0 ? { ok: true } : { ok: false, issues };
}
