import { describe, expect, it } from 'vitest';
import type { SqlBackendConfig } from '../../src/mapping/compiled-mapping.js';
import { loadMappingText } from '../../src/mapping/load-mapping.js';
import { MappingError } from '../../src/mapping/mapping-error.js';

/** A SQL mapping with `user` spliced into its User resource and `backend` into the backend section. */
function mapping(user: string, backend = ''): string {
  return `version: 1
backend:
  type: sql
  dialect: postgres
  connection: { host: localhost, database: hr }
${backend}
resources:
  User:
    table: employees
${user}
`;
}

const ATTRIBUTES = `    attributes:
      userName: { column: login, caseInsensitive: native }
      emails: { table: employee_emails, owner: employee_id, columns: { value: address, type: kind }, caseInsensitive: native }
      displayName: { column: display_name, caseInsensitive: fold }`;

function issuesOf(text: string): string[] {
  try {
    loadMappingText(text, '/virtual/hr.yaml', {});
  } catch (err) {
    if (err instanceof MappingError) return err.issues.map((issue) => issue.message);
    throw err;
  }
  return [];
}

describe('SQL mapping options of issue 3', () => {
  it('id.type defaults from generate and can be given; caseInsensitive native compiles per scalar and child table', () => {
    const compiled = loadMappingText(
      mapping(`    id: { column: employee_id, generate: database }\n${ATTRIBUTES}`),
      '/virtual/hr.yaml',
      {},
    );
    const user = compiled.resourceTypes[0];
    expect(user?.sql?.id).toEqual({ column: 'employee_id', generate: 'database', type: 'integer' });
    const byName = new Map(user?.attributes.map((attribute) => [attribute.scim.attribute, attribute]));
    expect(byName.get('userName')).toMatchObject({ nativeCaseInsensitive: true });
    expect(byName.get('emails')).toMatchObject({ kind: 'childTable', nativeCaseInsensitive: true });
    expect(byName.get('displayName')).not.toHaveProperty('nativeCaseInsensitive');

    const natural = loadMappingText(
      mapping(`    id: { column: login_code, type: text }\n${ATTRIBUTES}`),
      '/virtual/hr.yaml',
      {},
    );
    expect(natural.resourceTypes[0]?.sql?.id).toEqual({
      column: 'login_code',
      generate: 'uuid',
      type: 'text',
    });
    const shorthand = loadMappingText(mapping(`    id: role_id\n${ATTRIBUTES}`), '/virtual/hr.yaml', {});
    expect(shorthand.resourceTypes[0]?.sql?.id.type).toBe('uuid');
  });

  it('constants compile with secret references; timeouts and pool reach the backend config', () => {
    const compiled = loadMappingText(
      mapping(
        `    id: { column: employee_id, generate: database }\n    constants: { company_code: "\${env:COMPANY}", source: SCIM, shard: 3 }\n${ATTRIBUTES}`,
        '  pool: { min: 1, max: 7 }\n  timeouts: { connectMs: 1500 }',
      ),
      '/virtual/hr.yaml',
      { COMPANY: 'ACME' },
    );
    expect(compiled.resourceTypes[0]?.sql?.constants).toEqual({
      company_code: 'ACME',
      source: 'SCIM',
      shard: 3,
    });
    const backend = compiled.backend as SqlBackendConfig;
    expect(backend.pool).toEqual({ min: 1, max: 7 });
    expect(backend.timeouts).toEqual({ connectMs: 1500 });
    expect(backend.preparedStatements).toBe(100);
  });

  it('preparedStatements: a count per connection on PostgreSQL, 0 for none, refused elsewhere', () => {
    const user = `    id: { column: employee_id, generate: database }\n${ATTRIBUTES}`;
    const prepared = (extra: string) =>
      (loadMappingText(mapping(user, extra), '/virtual/hr.yaml', {}).backend as SqlBackendConfig)
        .preparedStatements;
    expect(prepared('  preparedStatements: 25')).toBe(25);
    expect(prepared('  preparedStatements: 0')).toBe(0);
    expect(issuesOf(mapping(user, '  preparedStatements: -1')).join('\n')).toMatch(/preparedStatements/);
    const onMysql = mapping(user, '  preparedStatements: 10').replace('dialect: postgres', 'dialect: mysql');
    expect(issuesOf(onMysql).join('\n')).toMatch(/preparedStatements applies to PostgreSQL only/);
  });

  it('a timestamp version may be the lastModified column; a counter may not', () => {
    const timestamp = `    id: { column: employee_id, generate: database }
    version: { column: updated_at, kind: timestamp }
    lastModified: updated_at
${ATTRIBUTES}`;
    expect(issuesOf(mapping(timestamp))).toEqual([]);
    const counter = timestamp.replace('kind: timestamp', 'kind: counter');
    expect(issuesOf(mapping(counter))).toEqual([
      expect.stringContaining('column "updated_at" is already used by version'),
    ]);
  });

  it('reports what cannot work', () => {
    expect(
      issuesOf(
        mapping(`    id: { column: employee_id, generate: uuid, type: integer }
    constants: { login: X }
    attributes:
      userName: login
      externalId: { column: external_ref, caseInsensitive: native }
      active: { column: status, caseInsensitive: fold }
      groups: { table: m, owner: o, value: v, ref: User, caseInsensitive: native }`),
      ).sort(),
    ).toEqual([
      'resources.User.attributes.active.caseInsensitive: active is compared case-exactly (RFC 7643): caseInsensitive does not apply',
      'resources.User.attributes.externalId.caseInsensitive: externalId is compared case-exactly (RFC 7643): caseInsensitive does not apply',
      expect.stringMatching(
        /^resources\.User\.attributes\.groups\.caseInsensitive: "caseInsensitive" does not belong in a join table entry/,
      ),
      expect.stringMatching(/^resources\.User\.constants\.login: column "login" is already used by userName/),
      'resources.User.id.type: Crosswalk generates UUIDs: an integer key needs generate: database',
    ]);
  });
});
