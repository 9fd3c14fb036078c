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
