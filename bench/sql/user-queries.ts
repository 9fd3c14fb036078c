import type { Knex } from 'knex';

/** The main-table columns the gateway selects for a User of bench/mappings/postgres-bench.yaml. */
const USER_COLUMNS = [
  'id',
  'version',
  'created_at',
  'updated_at',
  'user_name',
  'external_id',
  'active',
  'display_name',
  'given_name',
  'family_name',
  'formatted_name',
  'title',
  'employee_number',
  'department',
  'manager_id',
];

/**
 * The baselines' queries: the gateway's main-row statements for
 * `userName eq` (case-insensitive, as lower() = lower()) and get-by-id,
 * written by hand with bound values.
 */
export function userByName(db: Knex, userName: string): Promise<unknown[]> {
  return db('users').select(USER_COLUMNS).whereRaw('lower(??) = lower(?)', ['user_name', userName]);
}

export function userById(db: Knex, id: string): Promise<unknown[]> {
  return db('users').select(USER_COLUMNS).where('id', id);
}

/**
 * The statements the gateway issues for one user, as raw rows: the main row,
 * then its e-mail and phone rows (the mapping's two child tables), one after
 * the other as the store does.
 */
export async function userWithChildren(
  db: Knex,
  main: Promise<unknown[]>,
): Promise<{ user: unknown; emails: unknown[]; phones: unknown[] } | undefined> {
  const rows = (await main) as { id: string }[];
  const user = rows[0];
  if (user === undefined) return undefined;
  const emails = (await db('user_emails')
    .select('user_id', 'address', 'kind', 'is_primary')
    .whereIn('user_id', [user.id])
    .orderBy('user_id')) as unknown[];
  const phones = (await db('user_phones')
    .select('user_id', 'number', 'kind', 'is_primary')
    .whereIn('user_id', [user.id])
    .orderBy('user_id')) as unknown[];
  return { user, emails, phones };
}
