import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import type { SambaAdInstance } from './samba-ad.js';

export const ACTIVE_DIRECTORY_MAPPING_FILE = fileURLToPath(
  new URL('../../mappings/active-directory.yaml', import.meta.url),
);

/** The environment mappings/active-directory.yaml names, pointed at a test DC over LDAPS. */
export function activeDirectoryEnv(dc: SambaAdInstance): NodeJS.ProcessEnv {
  return {
    AD_URL: dc.ldapsUrl,
    AD_BIND_DN: dc.serviceDn,
    AD_BIND_PASSWORD: dc.servicePassword,
    AD_CA_FILE: dc.caFile,
    AD_USERS_BASE: dc.usersBase,
    AD_GROUPS_BASE: dc.groupsBase,
  };
}

/** The shipped mappings/active-directory.yaml against a test Samba AD DC. */
export function loadActiveDirectoryMapping(
  dc: SambaAdInstance,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CompiledMapping> {
  return loadMappingFile(ACTIVE_DIRECTORY_MAPPING_FILE, { ...activeDirectoryEnv(dc), ...extraEnv });
}

/**
 * The shipped mapping with text edits (`[from, to]` pairs, each must match),
 * written next to the DC's files: variants such as StartTLS or
 * `userName: sAMAccountName` without a second copy of the file in the repo.
 */
export async function loadEditedActiveDirectoryMapping(
  dc: SambaAdInstance,
  folder: string,
  edits: readonly [string, string][],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CompiledMapping> {
  let text = await readFile(ACTIVE_DIRECTORY_MAPPING_FILE, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`mappings/active-directory.yaml has no "${from}"`);
    text = text.replace(from, to);
  }
  const file = join(folder, `active-directory-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return loadMappingFile(file, { ...activeDirectoryEnv(dc), ...extraEnv });
}
