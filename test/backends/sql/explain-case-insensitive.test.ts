import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli.js';
import { MYSQL_HELPDESK_MAPPING } from '../../support/mariadb.js';
import { POSTGRES_HR_MAPPING } from '../../support/postgres.js';

/** `crosswalk explain` in-process (it opens no connection), with the variables the mapping headers name. */
async function explain(mapping: string, filter: string, env: Record<string, string>): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const code = await main(['explain', mapping, filter]);
  expect(code).toBe(0);
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('crosswalk explain names how case-insensitive columns are compared and which index serves them', () => {
  it('PostgreSQL: citext compared plainly, other text as lower(column) with the index it needs', async () => {
    const out = await explain(
      POSTGRES_HR_MAPPING,
      'userName eq "Ada" and (displayName sw "A" or emails[value eq "a@x.example"]) and externalId eq "X"',
      { HR_PG_DATABASE: 'offline' },
    );
    expect(out).toContain('"employees"."login" = $2');
    expect(out).toContain('lower("employees"."display_name") LIKE lower($3)');
    expect(out).toContain('lower("employee_emails"."email_address") = lower($4)');
    expect(out).toContain('"employees"."external_ref" = $5');
    expect(out).toContain('-- case-insensitive employees.login: the column ignores case itself');
    expect(out).toContain(
      '-- case-insensitive employees.display_name: compared as lower(display_name) = lower(?); needs CREATE INDEX ON employees (lower(display_name))',
    );
    expect(out).toContain(
      '-- case-insensitive employee_emails.email_address: compared as lower(email_address)',
    );
    // Case-exact attributes get no note.
    expect(out).not.toContain('external_ref:');
  });

  it('MariaDB: _ci collations compared plainly', async () => {
    const out = await explain(MYSQL_HELPDESK_MAPPING, 'emails.value eq "A@X" and externalId eq "X"', {
      HELPDESK_DB_DATABASE: 'offline',
    });
    expect(out).toContain('`hd_agent_email`.`address` = ?');
    expect(out).toContain('BINARY `hd_agent`.`ext_ref` = BINARY ?');
    expect(out).toContain('-- case-insensitive hd_agent_email.address: the column ignores case itself');
  });
});
