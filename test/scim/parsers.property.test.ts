import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../../src/scim/filter/ast.js';
import { formatFilter } from '../../src/scim/filter/format-filter.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../src/scim/patch/parse-patch-request.js';
import { parsePath } from '../../src/scim/path/parser.js';

const RUNS = 2_000;

/** Runs the parser; the only acceptable failure is a 400 ScimError. Returns true when it parsed. */
function parsesOrRejectsCleanly(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (err) {
    if (!(err instanceof ScimError)) throw err;
    expect(err.status).toBe(400);
    expect(err.scimType).toBeDefined();
    return false;
  }
}

const TOKENS = [
  'userName',
  'emails',
  'name.givenName',
  'members.$ref',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'a.b.c',
  'eq',
  'NE',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
  'xx',
  'and',
  'OR',
  'not',
  'Not',
  'true',
  'false',
  'null',
  '"work"',
  '"a\\"b"',
  '"\\u00e9"',
  '"\\x"',
  '"unterminated',
  '"',
  "'single'",
  '0',
  '-1.5e3',
  '01',
  '1e999',
  '-',
  '(',
  ')',
  '[',
  ']',
  '.',
  ':',
  '$',
  '\\',
  '&',
  '',
];

/** Token soups shaped like filters: mostly wrong, sometimes right, always a stress for the grammar. */
const tokenSoup = fc
  .tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.constantFrom(' ', '', '  ', '\t'))
  .map(([tokens, separator]) => tokens.join(separator));
/** `attr op value` triples, so that a fair share of the inputs is well-formed (a soup alone rarely is). */
const comparisonShaped = fc
  .tuple(
    fc.constantFrom('userName', 'name.givenName', 'emails.value', 'meta.lastModified'),
    fc.constantFrom('eq', 'NE', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'),
    fc.constantFrom('"work"', '"a\\"b"', 'true', 'null', '0', '-1.5e3', '01', '"unterminated'),
  )
  .map((parts) => parts.join(' '));
const grammarShaped = fc.oneof(tokenSoup, comparisonShaped);

describe('parsers never throw anything but a 400 ScimError', () => {
  it('parseFilter on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        parsesOrRejectsCleanly(() => parseFilter(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseFilter on grammar-shaped strings (and some of them parse)', () => {
    let parsed = 0;
    fc.assert(
      fc.property(grammarShaped, (text) => {
        if (parsesOrRejectsCleanly(() => parseFilter(text))) parsed += 1;
      }),
      { numRuns: RUNS },
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it('parseFilter on deeply nested brackets, parentheses and nots', () => {
    const nesting = fc
      .array(fc.constantFrom('(', ')', '[', ']', 'not ', 'not (', 'a pr', 'emails[', ' and ', ' or '), {
        maxLength: 400,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(nesting, (text) => {
        parsesOrRejectsCleanly(() => parseFilter(text));
      }),
      { numRuns: 500 },
    );
  });

  it('parsePath on arbitrary and grammar-shaped strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), grammarShaped), (text) => {
        parsesOrRejectsCleanly(() => parsePath(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('parsePatchRequest on arbitrary JSON and arbitrary values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (body) => {
        parsesOrRejectsCleanly(() => parsePatchRequest(body));
      }),
      { numRuns: RUNS },
    );
  });

  it('parsePatchRequest on PATCH-shaped bodies (and some of them parse)', () => {
    const operation = fc.record(
      {
        op: fc.oneof(
          fc.constantFrom('add', 'Add', 'remove', 'REMOVE', 'Replace', 'move', ''),
          fc.jsonValue(),
        ),
        path: fc.oneof(
          grammarShaped,
          fc.constantFrom('members', 'name.givenName', 'emails[type eq "work"].value'),
          fc.jsonValue(),
        ),
        value: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const patchBody = fc.record(
      {
        schemas: fc.oneof(fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']), fc.jsonValue()),
        Operations: fc.oneof(fc.array(operation, { maxLength: 5 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    let parsed = 0;
    fc.assert(
      fc.property(patchBody, (body) => {
        if (parsesOrRejectsCleanly(() => parsePatchRequest(body))) parsed += 1;
      }),
      { numRuns: RUNS },
    );
    expect(parsed).toBeGreaterThan(0);
  });
});

// ---- parse(format(ast)) round trip ----

/** Names that are never read as keywords in attribute position (`and`/`or` would be). */
const attributeName = fc.oneof(
  fc
    .stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/)
    .filter((name) => !['and', 'or'].includes(name.toLowerCase())),
  fc.constant('$ref'),
);
const schemaUrn = fc.constantFrom(
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:example:ext',
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function attributePath(withSchema: boolean): fc.Arbitrary<AttributePath> {
  return fc
    .record({
      schema: withSchema ? optional(schemaUrn) : fc.constant(undefined),
      attribute: attributeName,
      sub: optional(attributeName),
    })
    .map(({ schema, attribute, sub }) => ({
      ...(schema === undefined ? {} : { schema }),
      attribute,
      ...(sub === undefined ? {} : { subAttribute: sub }),
    }));
}

const filterValue: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const compareOperator = fc.constantFrom<CompareOperator>(
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
);

function filterArbitrary(insideValuePath: boolean): fc.Arbitrary<Filter> {
  return fc.letrec<{ filter: Filter }>((tie) => {
    const leaves: fc.Arbitrary<Filter>[] = [
      fc
        .record({ path: attributePath(!insideValuePath), op: compareOperator, value: filterValue })
        .map(({ path, op, value }): Filter => ({ kind: 'compare', path, op, value })),
      attributePath(!insideValuePath).map((path): Filter => ({ kind: 'present', path })),
    ];
    if (!insideValuePath) {
      leaves.push(
        fc
          .record({
            attribute: attributeName,
            schema: optional(schemaUrn),
            inner: filterArbitrary(true),
          })
          .map(
            ({ attribute, schema, inner }): Filter => ({
              kind: 'valuePath',
              path: { ...(schema === undefined ? {} : { schema }), attribute },
              filter: inner,
            }),
          ),
      );
    }
    return {
      filter: fc.oneof(
        { depthSize: 'small', maxDepth: 5 },
        ...leaves,
        fc
          .record({ left: tie('filter'), right: tie('filter') })
          .map(({ left, right }): Filter => ({ kind: 'and', left, right })),
        fc
          .record({ left: tie('filter'), right: tie('filter') })
          .map(({ left, right }): Filter => ({ kind: 'or', left, right })),
        tie('filter').map((filter): Filter => ({ kind: 'not', filter })),
      ),
    };
  }).filter;
}

describe('parseFilter(formatFilter(ast)) round-trips', () => {
  it('for generated ASTs', () => {
    fc.assert(
      fc.property(filterArbitrary(false), (ast) => {
        expect(parseFilter(formatFilter(ast))).toEqual(ast);
      }),
      { numRuns: RUNS },
    );
  });

  it('and formatting is stable: format(parse(format(ast))) === format(ast)', () => {
    fc.assert(
      fc.property(filterArbitrary(false), (ast) => {
        const text = formatFilter(ast);
        expect(formatFilter(parseFilter(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
