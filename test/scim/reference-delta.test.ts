import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { parsePatchRequest } from '../../src/scim/patch/parse-patch-request.js';
import { idsOfValueFilter, splitReferencePatch } from '../../src/scim/patch/reference-delta.js';

const lookup = {
  find: (path: { attribute: string }) => (path.attribute.toLowerCase() === 'members' ? 'members' : undefined),
  label: (attribute: string) => attribute,
};

function split(operations: unknown[]) {
  const request = parsePatchRequest({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: operations,
  });
  return splitReferencePatch(lookup, request);
}

describe('splitReferencePatch', () => {
  it('turns a member add into a delta with values and ids, and leaves the rest alone', () => {
    const { deltas, others } = split([
      { op: 'add', path: 'members', value: [{ value: 'u1', type: 'User' }, 'u2'] },
      { op: 'replace', path: 'displayName', value: 'x' },
    ]);
    expect(deltas).toEqual([
      {
        kind: 'add',
        attribute: 'members',
        values: [{ value: 'u1', type: 'User' }, { value: 'u2' }],
        ids: ['u1', 'u2'],
      },
    ]);
    expect(others).toHaveLength(1);
    expect(others[0]?.path?.attribute).toBe('displayName');
  });

  it('splits a path-less value object between deltas and other operations', () => {
    const { deltas, others } = split([
      { op: 'Replace', value: { Members: [{ value: 'g1' }], displayName: 'Ops' } },
    ]);
    expect(deltas).toEqual([
      { kind: 'replace', attribute: 'members', values: [{ value: 'g1' }], ids: ['g1'] },
    ]);
    expect(others).toEqual([{ op: 'replace', value: { displayName: 'Ops' } }]);
  });

  it('remove: by value array (Entra), by value filter, or all', () => {
    const { deltas } = split([
      { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
      { op: 'remove', path: 'members[value eq "u2"]' },
      { op: 'remove', path: 'members' },
    ]);
    expect(deltas.map((delta) => delta.kind)).toEqual(['remove', 'removeWhere', 'removeAll']);
    expect(deltas[0]).toMatchObject({ ids: ['u1'] });
  });

  it('rejects sub-attribute targets, filtered adds, values without an id and read-only lists', () => {
    const rejects = (operations: unknown[], scimType: string, readOnly = false) => {
      const request = parsePatchRequest({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: operations,
      });
      let caught: unknown;
      try {
        splitReferencePatch({ ...lookup, readOnly: () => readOnly }, request);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ScimError);
      expect((caught as ScimError).scimType).toBe(scimType);
    };
    rejects([{ op: 'replace', path: 'members.display', value: 'x' }], 'invalidPath');
    rejects([{ op: 'add', path: 'members[value eq "a"]', value: 'x' }], 'invalidPath');
    rejects([{ op: 'add', path: 'members', value: [{ display: 'no id' }] }], 'invalidValue');
    rejects([{ op: 'add', path: 'members', value: ['u1'] }], 'mutability', true);
  });
});

describe('idsOfValueFilter', () => {
  it.each([
    ['value eq "a"', ['a']],
    ['value eq "a" or value eq "b"', ['a', 'b']],
    ['value ne "a"', undefined],
    ['value eq "a" and type eq "User"', undefined],
  ])('%s', (text, ids) => {
    expect(idsOfValueFilter(parseFilter(text))).toEqual(ids);
  });
});
