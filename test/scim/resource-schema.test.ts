import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../../src/scim/schema/core-schemas.js';
import { narrowSchema } from '../../src/scim/schema/narrow-schema.js';
import { createResourceSchema, wholeExtensionUrn } from '../../src/scim/schema/resource-schema.js';
import { ENTERPRISE, groupSchema, userSchema } from './support/schemas.js';

describe('createResourceSchema().resolve', () => {
  it.each([
    // [path, expected schema, attribute, subAttribute]
    [{ attribute: 'userName' }, USER_SCHEMA.id, 'userName', undefined],
    [{ attribute: 'USERNAME' }, USER_SCHEMA.id, 'userName', undefined],
    [{ attribute: 'name', subAttribute: 'GIVENNAME' }, USER_SCHEMA.id, 'name', 'givenName'],
    [{ attribute: 'name.familyName' }, USER_SCHEMA.id, 'name', 'familyName'],
    [
      { schema: USER_SCHEMA.id.toLowerCase(), attribute: 'emails', subAttribute: 'value' },
      USER_SCHEMA.id,
      'emails',
      'value',
    ],
    [{ schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }, ENTERPRISE, 'manager', 'value'],
    [{ attribute: `${ENTERPRISE}:department` }, ENTERPRISE, 'department', undefined],
    [{ attribute: `${ENTERPRISE.toUpperCase()}:manager.displayName` }, ENTERPRISE, 'manager', 'displayName'],
    [{ attribute: 'department' }, ENTERPRISE, 'department', undefined],
    [{ attribute: 'id' }, USER_SCHEMA.id, 'id', undefined],
    [{ attribute: 'externalid' }, USER_SCHEMA.id, 'externalId', undefined],
    [{ attribute: 'meta', subAttribute: 'lastmodified' }, USER_SCHEMA.id, 'meta', 'lastModified'],
    [{ attribute: 'groups', subAttribute: '$ref' }, USER_SCHEMA.id, 'groups', '$ref'],
  ])('%j → %s %s.%s', (path, schema, attribute, subAttribute) => {
    const resolved = userSchema.resolve(path);
    expect(resolved?.schema).toBe(schema);
    expect(resolved?.isExtension).toBe(schema === ENTERPRISE);
    expect(resolved?.attribute.name).toBe(attribute);
    expect(resolved?.subAttribute?.name).toBe(subAttribute);
  });

  it.each([
    [{ attribute: 'nope' }],
    [{ attribute: 'name', subAttribute: 'nope' }],
    [{ attribute: 'userName', subAttribute: 'x' }],
    [{ schema: 'urn:example:unknown', attribute: 'userName' }],
    [{ schema: ENTERPRISE, attribute: 'userName' }],
    [{ schema: ENTERPRISE, attribute: 'id' }],
    [{ attribute: 'urn:example:unknown:userName' }],
  ])('%j does not resolve', (path) => {
    expect(userSchema.resolve(path)).toBeUndefined();
  });

  it('lists its schema URNs and resolves only its own', () => {
    expect(userSchema.schemaUrns).toEqual([USER_SCHEMA.id, ENTERPRISE]);
    expect(
      groupSchema.resolve({ attribute: 'members', subAttribute: 'value' })?.subAttribute?.mutability,
    ).toBe('immutable');
    expect(groupSchema.resolve({ attribute: 'department' })).toBeUndefined();
  });

  it('recognises a path naming a whole extension, however it was split', () => {
    expect(wholeExtensionUrn(userSchema, { attribute: ENTERPRISE.toLowerCase() })).toBe(ENTERPRISE);
    expect(
      wholeExtensionUrn(userSchema, {
        schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0',
        attribute: 'User',
      }),
    ).toBe(ENTERPRISE);
    expect(wholeExtensionUrn(userSchema, { attribute: 'manager' })).toBeUndefined();
  });
});

describe('narrowSchema', () => {
  const narrowed = narrowSchema(USER_SCHEMA, [
    { attribute: 'userName' },
    { attribute: 'name', subAttribute: 'givenName' },
    { attribute: 'NAME', subAttribute: 'familyName', readOnly: true },
    { attribute: 'emails', subAttribute: 'value' },
    { attribute: 'emails', subAttribute: 'type' },
    { attribute: 'phoneNumbers' },
    { attribute: 'title', readOnly: true },
  ]);

  it('keeps only mapped attributes and sub-attributes', () => {
    expect(narrowed.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'title',
      'emails',
      'phoneNumbers',
    ]);
    const byName = (n: string) => narrowed.attributes.find((a) => a.name === n);
    expect(byName('name')?.subAttributes?.map((s) => s.name)).toEqual(['familyName', 'givenName']);
    expect(byName('emails')?.subAttributes?.map((s) => s.name)).toEqual(['value', 'type']);
    expect(byName('phoneNumbers')?.subAttributes?.map((s) => s.name)).toEqual([
      'value',
      'display',
      'type',
      'primary',
    ]);
  });

  it('applies readOnly from the mapping', () => {
    const byName = (n: string) => narrowed.attributes.find((a) => a.name === n);
    expect(byName('title')?.mutability).toBe('readOnly');
    expect(byName('name')?.mutability).toBe('readWrite');
    expect(byName('name')?.subAttributes?.find((s) => s.name === 'familyName')?.mutability).toBe('readOnly');
    expect(byName('userName')?.mutability).toBe('readWrite');
  });

  it('feeds createResourceSchema so unmapped attributes stop resolving', () => {
    const schema = createResourceSchema(USER_RESOURCE_TYPE, narrowed, [
      narrowSchema(ENTERPRISE_USER_SCHEMA, []),
    ]);
    expect(schema.resolve({ attribute: 'nickName' })).toBeUndefined();
    expect(schema.resolve({ attribute: 'name', subAttribute: 'middleName' })).toBeUndefined();
    expect(schema.resolve({ attribute: 'department' })).toBeUndefined();
    expect(schema.resolve({ attribute: 'id' })).toBeDefined();
  });
});
