// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests are about ${…} references written as plain text
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMappingText } from '../../src/mapping/load-mapping.js';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { resolveSecretReferences } from '../../src/mapping/secret-references.js';

const dir = mkdtempSync(join(tmpdir(), 'crosswalk-secrets-'));
writeFileSync(join(dir, 'password.txt'), 'from-file\n');
writeFileSync(join(dir, 'nested.txt'), 'nested-secret');
const context = { env: { NAME: 'value', EMPTY: '', SECRET_FILE: join(dir, 'nested.txt') }, baseDir: dir };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveSecretReferences', () => {
  it.each([
    ['plain text', 'plain text'],
    ['${env:NAME}', 'value'],
    ['pre-${env:NAME}-post', 'pre-value-post'],
    ['${env:MISSING:-fallback}', 'fallback'],
    ['${env:EMPTY:-fallback}', 'fallback'],
    ['${env:EMPTY}', ''],
    ['${env:NAME:-fallback}', 'value'],
    ['${env:MISSING:-}', ''],
    ['${env:MISSING:-${env:NAME}}', 'value'],
    ['${file:password.txt}', 'from-file'],
    ['${file:./password.txt}', 'from-file'],
    ['${file:${env:SECRET_FILE}}', 'nested-secret'],
    ['$${env:NAME}', '${env:NAME}'],
  ])('%s → %s', (text, expected) => {
    expect(resolveSecretReferences(text, context)).toBe(expected);
  });

  it.each([
    ['${env:MISSING}', 'environment variable MISSING is not set'],
    ['${env:bad name}', '"${env:bad name}" is not a valid environment reference'],
    ['${file:nope.txt}', 'cannot read file "nope.txt" (ENOENT)'],
    ['${file:${env:MISSING}}', 'environment variable MISSING is not set'],
    ['${vault:x}', 'unknown reference "${vault:…}" (use ${env:NAME} or ${file:PATH})'],
    ['${env:NAME', '"${" without a closing "}"'],
  ])('%s fails with "%s"', (text, message) => {
    expect(() => resolveSecretReferences(text, context)).toThrow(message);
  });
});

describe('secrets in a mapping file', () => {
  const text = (password: string) => `version: 1
backend:
  type: ldap
  url: ldap://localhost:389
  bind: { dn: "cn=admin", password: "${password}" }
resources:
  User:
    base: ou=people
    objectClass: inetOrgPerson
    rdn: uid={userName}
    attributes:
      userName: uid
`;
  const file = join(dir, 'mapping.yaml');

  it('resolves env and file references, relative to the mapping file', () => {
    const fromEnv = loadMappingText(text('${env:LDAP_PW}'), file, { LDAP_PW: 'hunter2' });
    expect(fromEnv.backend.type === 'ldap' && fromEnv.backend.bind.password).toBe('hunter2');
    const fromFile = loadMappingText(text('${file:password.txt}'), file, {});
    expect(fromFile.backend.type === 'ldap' && fromFile.backend.bind.password).toBe('from-file');
  });

  it('reports a missing secret at its position without echoing other secrets', () => {
    const error = (() => {
      try {
        loadMappingText(text('${env:LDAP_PW}-${env:OTHER}'), file, { OTHER: 'do-not-print-me' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).format()).toBe(
      `${file}:5:37: backend.bind.password: environment variable LDAP_PW is not set`,
    );
    expect((error as MappingError).message).not.toContain('do-not-print-me');
  });

  it('leaves references as written when secrets are not resolved (crosswalk validate in CI)', () => {
    const mapping = loadMappingText(text('${env:LDAP_PW}'), file, {}, { resolveSecrets: false });
    expect(mapping.backend.type === 'ldap' && mapping.backend.bind.password).toBe('${env:LDAP_PW}');
  });
});
