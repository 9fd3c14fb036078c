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
 * The statement the gateway issues for one user, written by hand: the main
 * row with the mapping's two child tables (e-mails, phones) aggregated as
 * JSON arrays in sub-selects, as the SQL store reads them (docs/sql.md,
 * "Reads"). The raw row goes back as JSON, with no SCIM work.
 */
const CHILD_ARRAYS = `(SELECT json_agg(json_build_array(e.address, e.kind, e.is_primary)
     ORDER BY e.address, e.kind, e.is_primary) FROM user_emails e WHERE e.user_id = users.id) AS emails_json,
   (SELECT json_agg(json_build_array(p.number, p.kind, p.is_primary)
     ORDER BY p.number, p.kind, p.is_primary) FROM user_phones p WHERE p.user_id = users.id) AS phones_json`;

/**
 * `prepared`: the statement goes under a fixed name (pg's named statements,
 * through knex's `options`), as the gateway sends its PostgreSQL statements
 * (docs/sql.md, "Prepared statements") — the like-for-like floor.
 */
export function userWithChildrenByName(db: Knex, userName: string, prepared = false): Promise<unknown[]> {
  const query = db('users')
    .select(USER_COLUMNS.map((column) => `users.${column}`))
    .select(db.raw(CHILD_ARRAYS))
    .whereRaw('lower(??) = lower(?)', ['users.user_name', userName]);
  return prepared ? query.options({ name: 'minimal_user_by_name' }) : query;
}

export function userWithChildrenById(db: Knex, id: string, prepared = false): Promise<unknown[]> {
  const query = db('users')
    .select(USER_COLUMNS.map((column) => `users.${column}`))
    .select(db.raw(CHILD_ARRAYS))
    .where('users.id', id);
  return prepared ? query.options({ name: 'minimal_user_by_id' }) : query;
}
