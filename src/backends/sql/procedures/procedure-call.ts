import type { SqlType } from '../../../mapping/procedure-sql-type.js';

/** One bound argument of a call: the parameter's name, its value, and its declared type if the mapping gives one. */
export interface CallArgument {
  readonly name: string;
  readonly value: unknown;
  readonly type?: SqlType;
}

/**
 * A stored procedure (or PostgreSQL function) call, ready for a dialect to
 * run: the name comes from the mapping (checked as an identifier when it was
 * loaded), every value is bound.
 */
export interface ProcedureCall {
  readonly name: string;
  readonly kind: 'function' | 'procedure';
  readonly arguments: readonly CallArgument[];
  /** An OUTPUT parameter whose value the call hands back (create's new id). */
  readonly output?: { readonly name: string; readonly type?: SqlType };
}

/** What a call handed back: the first row it returned, with OUTPUT parameters added as columns. */
export type CallResult = Readonly<Record<string, unknown>> | undefined;
