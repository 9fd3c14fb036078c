import { type LoadMappingOptions, loadMappingFile } from './load-mapping.js';
import { MappingError, type MappingIssue } from './mapping-error.js';

export { formatIssues } from './mapping-error.js';

export type MappingValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly issues: readonly MappingIssue[] };

/** For `crosswalk validate`: every issue of the file, or ok. Other failures (bugs) still throw. */
export async function validateMappingFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadMappingOptions = {},
): Promise<MappingValidation> {
  try {
    await loadMappingFile(path, env, options);
    return { ok: true };
  } catch (error) {
    if (error instanceof MappingError) return { ok: false, issues: error.issues };
    throw error;
  }
}
