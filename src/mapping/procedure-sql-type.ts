import type { SqlDialect } from './compiled-mapping.js';
import { didYouMean } from './did-you-mean.js';

/**
 * The SQL type of a stored procedure parameter as written in a mapping
 * (`nvarchar(256)`, `int`, `decimal(10,2)`, `varbinary(max)`), parsed and
 * checked against the dialect's type names. Only a parsed type is ever put
 * into SQL text (a PostgreSQL cast), so the mapping cannot inject anything.
 */
export interface SqlType {
  /** Lower case, single spaces: `nvarchar`, `timestamp with time zone`. */
  readonly name: string;
  /** Length, precision/scale, or `max` (SQL Server). */
  readonly args: readonly (number | 'max')[];
}

/** Type names each dialect accepts, lower case. */
export const SQL_TYPE_NAMES: Readonly<Record<SqlDialect, readonly string[]>> = {
  mssql: [
    'nvarchar',
    'varchar',
    'nchar',
    'char',
    'ntext',
    'text',
    'int',
    'bigint',
    'smallint',
    'tinyint',
    'bit',
    'decimal',
    'numeric',
    'float',
    'real',
    'money',
    'smallmoney',
    'date',
    'time',
    'datetime',
    'datetime2',
    'datetimeoffset',
    'smalldatetime',
    'uniqueidentifier',
    'binary',
    'varbinary',
    'xml',
  ],
  postgres: [
    'text',
    'varchar',
    'character varying',
    'char',
    'character',
    'citext',
    'integer',
    'int',
    'int4',
    'bigint',
    'int8',
    'smallint',
    'int2',
    'boolean',
    'bool',
    'numeric',
    'decimal',
    'real',
    'double precision',
    'date',
    'time',
    'timestamp',
    'timestamptz',
    'timestamp with time zone',
    'uuid',
    'json',
    'jsonb',
    'bytea',
  ],
  mysql: [
    'varchar',
    'char',
    'text',
    'tinytext',
    'mediumtext',
    'longtext',
    'int',
    'integer',
    'bigint',
    'smallint',
    'tinyint',
    'boolean',
    'bool',
    'bit',
    'decimal',
    'numeric',
    'float',
    'double',
    'date',
    'datetime',
    'timestamp',
    'time',
    'json',
    'binary',
    'varbinary',
    'blob',
  ],
  sqlite: [],
};

/** Types that take `(max)` (SQL Server only). */
const MAX_TYPES = new Set(['nvarchar', 'varchar', 'varbinary']);

const TYPE_PATTERN = /^([A-Za-z][A-Za-z0-9_]*(?: +[A-Za-z][A-Za-z0-9_]*)*)\s*(?:\(\s*([^)]*?)\s*\))?$/;

/** Parses `nvarchar(256)` for `dialect`; an error message when the text is no type of that dialect. */
export function parseSqlType(text: string, dialect: SqlDialect): SqlType | { readonly error: string } {
  const match = TYPE_PATTERN.exec(text.trim());
  if (match === null) return { error: `"${text}" is not a SQL type such as nvarchar(256) or int` };
  const name = (match[1] ?? '').toLowerCase().replace(/ +/g, ' ');
  const known = SQL_TYPE_NAMES[dialect];
  if (!known.includes(name)) {
    return { error: `unknown ${dialect} type "${name}"${didYouMean(name, known)}` };
  }
  const args: (number | 'max')[] = [];
  if (match[2] !== undefined) {
    for (const part of match[2].split(',')) {
      const arg = part.trim().toLowerCase();
      if (arg === 'max' && dialect === 'mssql' && MAX_TYPES.has(name)) args.push('max');
      else if (/^\d{1,5}$/.test(arg)) args.push(Number(arg));
      else return { error: `"${text}": "${part.trim()}" is not a length, precision or scale` };
    }
    if (args.length > 2) return { error: `"${text}" has more than two type arguments` };
  }
  return { name, args };
}

/** The canonical text of a parsed type: `nvarchar(256)`. */
export function sqlTypeText(type: SqlType): string {
  return type.args.length === 0 ? type.name : `${type.name}(${type.args.join(',')})`;
}
