// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the mapping text holds ${…} references written as plain text
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { formatIssues, validateMappingFile } from '../../src/mapping/validate-mapping.js';
import { OPENLDAP_MAPPING_FILE } from '../support/openldap-mapping.js';
import { fixture } from './fixture-path.js';

// The shipped OpenLDAP mapping with its CA file taken from an optional variable,
// written next to the fixtures so the relative paths of the copy still resolve.
const copy = fixture('generated-optional-ca.yaml');
const env = {
  LDAP_URL: 'ldaps://ldap.example.test',
  LDAP_BIND_DN: 'cn=crosswalk,dc=example,dc=test',
  LDAP_BIND_PASSWORD: 'secret',
};

afterAll(async () => {
  await rm(copy, { force: true });
});

async function writeCopy(tls: string): Promise<void> {
  const text = await readFile(OPENLDAP_MAPPING_FILE, 'utf8');
  const replaced = text.replace(/^ {2}tls: .*$/m, `  tls: ${tls}`);
  expect(replaced).not.toBe(text);
  await writeFile(copy, replaced);
}

describe('tls.caFile / tls.ca from an optional variable', () => {
  it('an empty caFile (${env:X:-} with X unset) means no CA, not the mapping folder (EISDIR)', async () => {
    await writeCopy('{ caFile: "${env:LDAP_CA_FILE:-}", rejectUnauthorized: true }');
    const mapping = await loadMappingFile(copy, env);
    expect(mapping.backend).toMatchObject({ type: 'ldap', tls: { rejectUnauthorized: true } });
    expect(mapping.backend.type === 'ldap' && mapping.backend.tls.ca).toBe(undefined);
  });

  it('the same mapping reads the CA when the variable names a file', async () => {
    await writeCopy('{ caFile: "${env:LDAP_CA_FILE:-}", rejectUnauthorized: true }');
    const mapping = await loadMappingFile(copy, { ...env, LDAP_CA_FILE: join('secrets', 'ca.pem') });
    expect(mapping.backend.type === 'ldap' && mapping.backend.tls.ca).toContain('BEGIN CERTIFICATE');
  });

  it('an empty ca alongside a caFile is not "both given"', async () => {
    await writeCopy('{ ca: "${env:LDAP_CA:-}", caFile: ./secrets/ca.pem }');
    const mapping = await loadMappingFile(copy, env);
    expect(mapping.backend.type === 'ldap' && mapping.backend.tls.ca).toContain('BEGIN CERTIFICATE');
  });

  it('a caFile that names a folder is still a clear file:line:col error', async () => {
    await writeCopy('{ caFile: ./secrets }');
    await expect(loadMappingFile(copy, env)).rejects.toThrow(/generated-optional-ca\.yaml:\d+:\d+: .*EISDIR/);
  });
});

describe('tls.caFile validated without resolving secrets (crosswalk validate)', () => {
  it('a caFile that is still a reference is not read as a path', async () => {
    await writeCopy('{ caFile: "${env:LDAP_CA_FILE:-}", rejectUnauthorized: true }');
    const result = await validateMappingFile(copy, {}, { resolveSecrets: false });
    expect(result.ok ? '' : formatIssues(result.issues)).toBe('');
  });
});
