import { sqlTypeText } from '../../../mapping/procedure-sql-type.js';
import type { SqlFragment } from '../sql-fragment.js';
import type { ProcedureCall } from './procedure-call.js';

/**
 * A PostgreSQL call in knex placeholders, arguments in named notation
 * (`"p_user_name" => ?`) so their order does not matter. A typed argument is
 * cast (`?::varchar(64)`) so an overloaded function resolves; the cast is
 * the parsed type's canonical text, never mapping text as written.
 * A function: `select * from "hr"."create_user"(…)`; a procedure:
 * `CALL "hr"."add_member"(…)`, its INOUT output passed as NULL and read back
 * from the row CALL returns.
 */
export function postgresCallSql(call: ProcedureCall): SqlFragment {
  const parts: string[] = [];
  const bindings: unknown[] = [call.name];
  for (const argument of call.arguments) {
    parts.push(argument.type === undefined ? '?? => ?' : `?? => ?::${sqlTypeText(argument.type)}`);
    bindings.push(argument.name, argument.value);
  }
  if (call.output !== undefined && call.kind === 'procedure') {
    parts.push(
      call.output.type === undefined ? '?? => NULL' : `?? => NULL::${sqlTypeText(call.output.type)}`,
    );
    bindings.push(call.output.name);
  }
  const head = call.kind === 'function' ? 'select * from ??' : 'CALL ??';
  return { sql: `${head}(${parts.join(', ')})`, bindings };
}
