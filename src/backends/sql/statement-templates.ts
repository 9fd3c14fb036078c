import type { Knex } from 'knex';
import type { CompiledSelect } from './direct-select.js';
import type { SqlFragment } from './sql-fragment.js';

/** Stands in for one of a request's values while a template is compiled; knex binds it like any value. */
class Slot {
  constructor(readonly index: number) {}
}

/** A compiled statement: its text, and per binding either a request value (slot number) or a fixed value. */
interface Template {
  readonly sql: string;
  readonly bindings: readonly ({ readonly slot: number } | { readonly value: unknown })[];
}

/** Values a template can take: each compiles to a single `?`, whatever it is. */
function isScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint' ||
    value instanceof Date
  );
}

/** Templates kept per owner (a read shape); beyond this the oldest goes. Bounds what odd filters can fill. */
const CAPACITY_PER_OWNER = 128;

/**
 * Compiled SELECT statements by query shape. A get by id or a
 * `userName eq "…"` search sends the same statement text every time with
 * other values; building it with knex's query builder and compiling it on
 * every request is CPU the answer does not need. A template is the
 * statement compiled once with placeholders (slots) where the request's
 * values go; a request fills them in.
 *
 * `key` must name everything that decides the text besides the owner —
 * the filter's SQL, the ORDER BY, the LIMIT — and `build` must put the
 * slots it is given where the request's values would go, in `inputs` order.
 * When a value would not compile to a single `?` (an array, a raw
 * fragment), or the compiled statement does not carry every slot exactly
 * once, there is no template: the caller builds the statement as before.
 */
export class StatementTemplates {
  private readonly byOwner = new WeakMap<object, Map<string, Template | null>>();

  compiled(
    owner: object,
    key: string,
    inputs: readonly unknown[],
    build: (slots: readonly unknown[]) => Knex.QueryBuilder,
  ): CompiledSelect | undefined {
    if (!inputs.every(isScalar)) return undefined;
    let templates = this.byOwner.get(owner);
    if (templates === undefined) {
      templates = new Map();
      this.byOwner.set(owner, templates);
    }
    let template = templates.get(key);
    if (template === undefined) {
      template = compileTemplate(inputs.length, build);
      if (templates.size >= CAPACITY_PER_OWNER) {
        const oldest = templates.keys().next().value;
        if (oldest !== undefined) templates.delete(oldest);
      }
      templates.set(key, template);
    }
    if (template === null) return undefined;
    const bindings = new Array<unknown>(template.bindings.length);
    for (let i = 0; i < bindings.length; i += 1) {
      const binding = template.bindings[i] as { slot: number } | { value: unknown };
      bindings[i] = 'slot' in binding ? inputs[binding.slot] : binding.value;
    }
    return { sql: template.sql, bindings };
  }
}

/** The statement compiled with slots, or null when its bindings do not hold every slot exactly once. */
function compileTemplate(slotCount: number, build: (slots: readonly unknown[]) => Knex.QueryBuilder) {
  const slots = Array.from({ length: slotCount }, (_, index) => new Slot(index));
  const compiled = build(slots).toSQL();
  const seen = new Set<number>();
  const bindings = compiled.bindings.map((binding) => {
    if (!(binding instanceof Slot)) return { value: binding };
    seen.add(binding.index);
    return { slot: binding.index };
  });
  const slotsBound = bindings.filter((binding) => 'slot' in binding).length;
  if (seen.size !== slotCount || slotsBound !== slotCount) return null;
  return { sql: compiled.sql, bindings };
}

/**
 * A raw fragment's bindings told apart (knex: `??` an identifier, `?` a
 * value, `\\?` a literal question mark). Identifiers come from the mapping
 * and change the statement's text, so they belong to its key; values are the
 * request's.
 */
export interface TemplatePart {
  /** The fragment's SQL with its identifiers: equal keys, equal text. */
  readonly key: string;
  /** The value bindings, in order. */
  readonly values: readonly unknown[];
  /** The fragment's bindings with `values` in place of its own. */
  bind(values: readonly unknown[]): unknown[];
}

const PLACEHOLDER = /\\?\?\??/g;

type PlaceholderKind = 'identifier' | 'value';

/** Placeholder kinds by fragment text: the same few filter shapes come back on every request. */
const kindsByText = new Map<string, readonly PlaceholderKind[]>();
const KINDS_REMEMBERED = 1024;

function placeholderKinds(sql: string): readonly PlaceholderKind[] {
  let kinds = kindsByText.get(sql);
  if (kinds === undefined) {
    const found: PlaceholderKind[] = [];
    for (const match of sql.matchAll(PLACEHOLDER)) {
      if (match[0] === '??') found.push('identifier');
      else if (match[0] === '?') found.push('value');
    }
    kinds = found;
    if (kindsByText.size >= KINDS_REMEMBERED) kindsByText.clear();
    kindsByText.set(sql, kinds);
  }
  return kinds;
}

const NO_PART: TemplatePart = { key: '-', values: [], bind: () => [] };

export function templatePart(fragment: SqlFragment | undefined): TemplatePart {
  if (fragment === undefined) return NO_PART;
  const kinds = placeholderKinds(fragment.sql);
  let key = fragment.sql;
  const values: unknown[] = [];
  fragment.bindings.forEach((binding, index) => {
    if (kinds[index] === 'identifier') key += `\u0002${String(binding)}`;
    else values.push(binding);
  });
  return {
    key,
    values,
    bind(given) {
      let next = 0;
      return kinds.map((kind, index) => (kind === 'identifier' ? fragment.bindings[index] : given[next++]));
    },
  };
}
