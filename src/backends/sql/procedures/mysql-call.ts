import type { SqlFragment } from '../sql-fragment.js';
import type { ProcedureCall } from './procedure-call.js';

/** The session variable an OUT parameter lands in (one connection runs one call at a time). */
export const MYSQL_OUTPUT_VARIABLE = '@crosswalk_output';

/**
 * A MySQL/MariaDB `CALL` in knex placeholders. MySQL binds by position: the
 * arguments go in the mapping's order, and an OUT parameter (create's new
 * id) comes last, as a session variable read back by mysqlOutputSql().
 */
export function mysqlCallSql(call: ProcedureCall): SqlFragment {
  const placeholders = call.arguments.map(() => '?');
  if (call.output !== undefined) placeholders.push(MYSQL_OUTPUT_VARIABLE);
  return {
    sql: `CALL ??(${placeholders.join(', ')})`,
    bindings: [call.name, ...call.arguments.map((argument) => argument.value)],
  };
}

/** Reads the OUT parameter back, named as the mapping names it. */
export function mysqlOutputSql(call: ProcedureCall): SqlFragment | undefined {
  if (call.output === undefined) return undefined;
  return { sql: `SELECT ${MYSQL_OUTPUT_VARIABLE} AS ??`, bindings: [call.output.name] };
}
