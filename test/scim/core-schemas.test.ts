import { describe, expect, it } from 'vitest';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  SCHEMA_URN,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../../src/scim/schema/core-schemas.js';
import type { AttributeDefinition, SchemaDefinition } from '../../src/scim/schema/model.js';

function attribute(
  def: SchemaDefinition | readonly AttributeDefinition[],
  dotted: string,
): AttributeDefinition {
  const [name, sub] = dotted.split('.');
  const list = 'attributes' in def ? def.attributes : def;
  const top = list.find((a) => a.name === name);
  if (top === undefined) throw new Error(`no ${name}`);
  if (sub === undefined) return top;
  const found = top.subAttributes?.find((a) => a.name === sub);
  if (found === undefined) throw new Error(`no ${dotted}`);
  return found;
}

describe('RFC 7643 core schemas', () => {
  it('declares every User attribute of §4.1 in order', () => {
    expect(USER_SCHEMA.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
  });

  it.each([
    // [schema, attribute, type, multiValued, required, caseExact, mutability, returned, uniqueness]
    [USER_SCHEMA, 'userName', 'string', false, true, false, 'readWrite', 'default', 'server'],
    [USER_SCHEMA, 'name', 'complex', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'name.givenName', 'string', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'profileUrl', 'reference', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'active', 'boolean', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'password', 'string', false, false, false, 'writeOnly', 'never', 'none'],
    [USER_SCHEMA, 'emails', 'complex', true, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'emails.primary', 'boolean', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'photos.value', 'reference', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'addresses.country', 'string', false, false, false, 'readWrite', 'default', 'none'],
    [USER_SCHEMA, 'groups', 'complex', true, false, false, 'readOnly', 'default', 'none'],
    [USER_SCHEMA, 'groups.$ref', 'reference', false, false, false, 'readOnly', 'default', 'none'],
    [USER_SCHEMA, 'x509Certificates.value', 'binary', false, false, false, 'readWrite', 'default', 'none'],
    [GROUP_SCHEMA, 'displayName', 'string', false, true, false, 'readWrite', 'default', 'none'],
    [GROUP_SCHEMA, 'members', 'complex', true, false, false, 'readWrite', 'default', 'none'],
    [GROUP_SCHEMA, 'members.value', 'string', false, false, false, 'immutable', 'default', 'none'],
    [GROUP_SCHEMA, 'members.$ref', 'reference', false, false, false, 'immutable', 'default', 'none'],
    [GROUP_SCHEMA, 'members.display', 'string', false, false, false, 'readWrite', 'default', 'none'],
    [ENTERPRISE_USER_SCHEMA, 'employeeNumber', 'string', false, false, false, 'readWrite', 'default', 'none'],
    [ENTERPRISE_USER_SCHEMA, 'manager', 'complex', false, false, false, 'readWrite', 'default', 'none'],
    [
      ENTERPRISE_USER_SCHEMA,
      'manager.displayName',
      'string',
      false,
      false,
      false,
      'readOnly',
      'default',
      'none',
    ],
    [COMMON_ATTRIBUTES, 'id', 'string', false, false, true, 'readOnly', 'always', 'server'],
    [COMMON_ATTRIBUTES, 'externalId', 'string', false, false, true, 'readWrite', 'default', 'none'],
    [COMMON_ATTRIBUTES, 'meta', 'complex', false, false, false, 'readOnly', 'default', 'none'],
    [COMMON_ATTRIBUTES, 'meta.lastModified', 'dateTime', false, false, false, 'readOnly', 'default', 'none'],
  ] as const)(
    '%#: %s has the RFC characteristics',
    (def, name, type, multiValued, required, caseExact, mutability, returned, uniqueness) => {
      const a = attribute(def, name);
      expect({
        type: a.type,
        multiValued: a.multiValued,
        required: a.required,
        caseExact: a.caseExact,
        mutability: a.mutability,
        returned: a.returned,
        uniqueness: a.uniqueness,
      }).toEqual({
        type,
        multiValued,
        required,
        caseExact,
        mutability,
        returned,
        uniqueness,
      });
    },
  );

  it('gives the multi-valued quartets and addresses their sub-attributes and canonical types', () => {
    for (const name of [
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'entitlements',
      'roles',
      'x509Certificates',
    ]) {
      expect(attribute(USER_SCHEMA, name).subAttributes?.map((s) => s.name)).toEqual([
        'value',
        'display',
        'type',
        'primary',
      ]);
    }
    expect(attribute(USER_SCHEMA, 'addresses').subAttributes?.map((s) => s.name)).toEqual([
      'formatted',
      'streetAddress',
      'locality',
      'region',
      'postalCode',
      'country',
      'type',
      'primary',
    ]);
    expect(attribute(USER_SCHEMA, 'emails.type').canonicalValues).toEqual(['work', 'home', 'other']);
    expect(attribute(USER_SCHEMA, 'phoneNumbers.type').canonicalValues).toContain('mobile');
    expect(attribute(USER_SCHEMA, 'groups.type').canonicalValues).toEqual(['direct', 'indirect']);
    expect(attribute(ENTERPRISE_USER_SCHEMA, 'manager').subAttributes?.map((s) => s.name)).toEqual([
      'value',
      '$ref',
      'displayName',
    ]);
  });

  it('declares the resource types and URNs', () => {
    expect(USER_RESOURCE_TYPE).toMatchObject({
      name: 'User',
      endpoint: '/Users',
      schema: SCHEMA_URN.user,
      schemaExtensions: [{ schema: SCHEMA_URN.enterpriseUser, required: false }],
    });
    expect(GROUP_RESOURCE_TYPE).toMatchObject({
      name: 'Group',
      endpoint: '/Groups',
      schema: SCHEMA_URN.group,
    });
    expect(SCHEMA_URN).toMatchObject({
      user: 'urn:ietf:params:scim:schemas:core:2.0:User',
      group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
      enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
      patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
      serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
    });
  });
});
