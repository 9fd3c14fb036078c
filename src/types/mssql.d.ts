/**
 * The part of the `mssql` package (v12) Crosswalk uses for stored procedure
 * calls. The package ships no types and @types/mssql is not a dependency.
 */
declare module 'mssql' {
  /** A type factory's result, e.g. `NVarChar(256)` → `{ type: NVarChar, length: 256 }`. */
  export interface ISqlType {
    readonly type: ISqlTypeFactory;
    readonly length?: number;
    readonly precision?: number;
    readonly scale?: number;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the driver's own type-factory shape
  export type ISqlTypeFactory = ((...args: any[]) => ISqlType) & { readonly declaration?: string };

  export interface IResult<Row> {
    readonly recordset?: Row[];
    readonly recordsets: Row[][];
    readonly output: Record<string, unknown>;
    readonly rowsAffected: number[];
  }

  export class Request {
    constructor(parent: ConnectionPool | Transaction);
    input(name: string, type: ISqlType | ISqlTypeFactory, value: unknown): this;
    input(name: string, value: unknown): this;
    output(name: string, type: ISqlType | ISqlTypeFactory, value?: unknown): this;
    execute<Row = Record<string, unknown>>(procedure: string): Promise<IResult<Row>>;
    query<Row = Record<string, unknown>>(command: string): Promise<IResult<Row>>;
    /** Runs T-SQL as one batch (no sp_executesql): for DDL scripts. */
    batch<Row = Record<string, unknown>>(command: string): Promise<IResult<Row>>;
  }

  export class Transaction {
    constructor(pool: ConnectionPool);
    begin(): Promise<Transaction>;
    commit(): Promise<void>;
    rollback(): Promise<void>;
  }

  export class ConnectionPool {
    constructor(config: Record<string, unknown>);
    connect(): Promise<ConnectionPool>;
    request(): Request;
    close(): Promise<void>;
  }

  const mssql: {
    readonly ConnectionPool: typeof ConnectionPool;
    readonly Transaction: typeof Transaction;
    readonly Request: typeof Request;
    readonly MAX: number;
  } & Readonly<Record<string, ISqlTypeFactory | undefined>>;
  export default mssql;
}
