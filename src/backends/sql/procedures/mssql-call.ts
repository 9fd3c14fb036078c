import mssql, { type ISqlType, type ISqlTypeFactory } from 'mssql';
import type { SqlType } from '../../../mapping/procedure-sql-type.js';
import type { ProcedureCall } from './procedure-call.js';

/** What goes to mssql's Request for one call: `request.input(name, type, value)` …, then `request.execute(procedure)`. */
export interface MssqlRequestPlan {
  readonly procedure: string;
  readonly inputs: readonly { readonly name: string; readonly type?: ISqlType; readonly value: unknown }[];
  readonly outputs: readonly { readonly name: string; readonly type?: ISqlType }[];
}

/** Mapping type names → the driver's factory names. */
const FACTORIES: Readonly<Record<string, string>> = {
  nvarchar: 'NVarChar',
  varchar: 'VarChar',
  nchar: 'NChar',
  char: 'Char',
  ntext: 'NText',
  text: 'Text',
  int: 'Int',
  bigint: 'BigInt',
  smallint: 'SmallInt',
  tinyint: 'TinyInt',
  bit: 'Bit',
  decimal: 'Decimal',
  numeric: 'Numeric',
  float: 'Float',
  real: 'Real',
  money: 'Money',
  smallmoney: 'SmallMoney',
  date: 'Date',
  time: 'Time',
  datetime: 'DateTime',
  datetime2: 'DateTime2',
  datetimeoffset: 'DateTimeOffset',
  smalldatetime: 'SmallDateTime',
  uniqueidentifier: 'UniqueIdentifier',
  binary: 'Binary',
  varbinary: 'VarBinary',
  xml: 'Xml',
};

/** `nvarchar(256)` → `sql.NVarChar(256)`; `nvarchar(max)` → `sql.NVarChar(sql.MAX)`. */
export function mssqlType(type: SqlType): ISqlType {
  const factoryName = FACTORIES[type.name];
  const factory = (factoryName === undefined ? undefined : mssql[factoryName]) as ISqlTypeFactory | undefined;
  if (factory === undefined) throw new Error(`SQL Server type ${type.name} has no mssql driver type`);
  return factory(...type.args.map((arg) => (arg === 'max' ? mssql.MAX : arg)));
}

/** A value as tedious takes it: a rowversion read back as a Buffer stays one; JSON text stays text. */
function inputValue(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** The Request inputs and outputs of a call (no connection needed: this is what the tests check). */
export function mssqlRequestPlan(call: ProcedureCall): MssqlRequestPlan {
  return {
    procedure: call.name,
    inputs: call.arguments.map((argument) => ({
      name: argument.name,
      ...(argument.type === undefined ? {} : { type: mssqlType(argument.type) }),
      value: inputValue(argument.value),
    })),
    outputs:
      call.output === undefined
        ? []
        : [
            {
              name: call.output.name,
              ...(call.output.type === undefined ? {} : { type: mssqlType(call.output.type) }),
            },
          ],
  };
}
