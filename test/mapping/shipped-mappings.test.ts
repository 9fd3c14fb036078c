import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMappingText } from '../../src/mapping/load-mapping.js';
import { formatIssues, validateMappingFile } from '../../src/mapping/validate-mapping.js';
import { fixture } from './fixture-path.js';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const shipped = readdirSync(MAPPINGS).filter((name) => name.endsWith('.yaml'));

describe('validateMappingFile', () => {
  // Secrets are not resolved: the files read env variables that exist only where they are deployed.
  it.each(shipped)('mappings/%s is valid', async (name) => {
    const result = await validateMappingFile(`${MAPPINGS}${name}`, {}, { resolveSecrets: false });
    expect(result.ok ? '' : formatIssues(result.issues)).toBe('');
  });

  it('returns the issues of a broken file', async () => {
    const result = await validateMappingFile(fixture('broken/duplicate-key.yaml'), {});
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : formatIssues(result.issues)).toBe(
      `${fixture('broken/duplicate-key.yaml')}:12:7: YAML: Map keys must be unique`,
    );
  });

  it('accepts the valid fixtures', async () => {
    expect(await validateMappingFile(fixture('valid-ldap.yaml'), {})).toEqual({ ok: true });
  });
});

describe('docs/mapping-format.md', () => {
  const guide = fileURLToPath(new URL('../../docs/mapping-format.md', import.meta.url));
  const examples = [...readFileSync(guide, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .filter((text) => /^version: 1$/m.test(text));

  it('has complete SQL and LDAP examples', () => {
    expect(examples.length).toBe(2);
  });

  it.each(examples.map((text, index) => [index, text] as const))('example %i compiles', (_, text) => {
    const env = {
      LDAP_URL: 'ldap://127.0.0.1:3389',
      LDAP_BIND_DN: 'cn=admin,dc=example,dc=test',
      LDAP_BIND_PASSWORD: 'secret',
      LDAP_CA_FILE: fixture('secrets/ca.pem'),
    };
    expect(() => loadMappingText(text, guide, env)).not.toThrow();
  });
});
