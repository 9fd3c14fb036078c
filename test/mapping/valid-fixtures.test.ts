import { describe, expect, it } from 'vitest';
import type { CompiledResourceType } from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { fixture } from './fixture-path.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function resource(types: readonly CompiledResourceType[], name: string): CompiledResourceType {
  const found = types.find((type) => type.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

function schemaShape(type: CompiledResourceType): Record<string, string[]> {
  const { coreSchema, extensions } = type.schema;
  return Object.fromEntries(
    [coreSchema, ...extensions].map((schema) => [
      schema.id,
      schema.attributes.map((a) =>
        a.subAttributes === undefined
          ? `${a.name}:${a.mutability}`
          : `${a.name}(${a.subAttributes.map((s) => s.name).join(',')})`,
      ),
    ]),
  );
}

describe('a valid SQL mapping', async () => {
  const mapping = await loadMappingFile(fixture('valid-sql.yaml'), { DB_PASSWORD: 'pw' });
  const user = resource(mapping.resourceTypes, 'User');
  const group = resource(mapping.resourceTypes, 'Group');

  it('compiles the backend with secrets resolved, defaults filled and paths made absolute', () => {
    expect(mapping.source).toBe(fixture('valid-sql.yaml'));
    expect(mapping.backend).toEqual({
      type: 'sql',
      dialect: 'mssql',
      connection: { server: 'localhost', user: 'scim', password: 'pw', options: { encrypt: false } },
      pool: { min: 0, max: 10 },
      preparedStatements: 0,
      timeouts: { connectMs: 10_000 },
      bootstrap: { schemaFile: fixture('sql/schema.sql'), whenTableMissing: 'people' },
    });
  });

  it('compiles the table spec and procedures with canonical sources', () => {
    expect(user.sql).toMatchObject({
      table: 'people',
      id: { column: 'person_id', generate: 'database' },
      version: { column: 'row_version', kind: 'rowversion' },
    });
    const attribute = (name: string, extra: Record<string, string> = {}) =>
      expect.objectContaining({ scim: expect.objectContaining({ attribute: name, ...extra }) });
    expect(user.sql?.procedures?.create).toEqual({
      name: 'dbo.scim_create_person',
      kind: 'procedure',
      parameters: {
        login: { from: 'userName', scim: { schema: CORE_USER, attribute: 'userName' } },
        status: { from: 'active', scim: { schema: CORE_USER, attribute: 'active' } },
        first: {
          from: 'name.givenName',
          scim: { schema: CORE_USER, attribute: 'name', subAttribute: 'givenName' },
          type: 'nvarchar(64)',
        },
        work_mail: {
          from: 'emails[type eq "work"].value',
          scim: expect.objectContaining({ typeValue: 'work' }),
        },
        home_mail: {
          from: 'emails[type eq "home"].value',
          scim: expect.objectContaining({ typeValue: 'home' }),
        },
        addresses: {
          from: 'addresses',
          scim: { schema: CORE_USER, attribute: 'addresses' },
          type: 'nvarchar(max)',
        },
      },
      returns: { output: 'new_id', type: 'int' },
    });
    expect(user.sql?.procedures?.update?.parameters).toEqual({
      id: { from: '$id', type: 'int' },
      seen: { from: '$version', type: 'varbinary(8)' },
      login: attribute('userName'),
      status: attribute('active'),
      first: attribute('name', { subAttribute: 'givenName' }),
      work_mail: attribute('emails', { typeValue: 'work' }),
      home_mail: attribute('emails', { typeValue: 'home' }),
      addresses: attribute('addresses'),
    });
    expect(user.sql?.procedures?.delete).toEqual({
      name: 'dbo.scim_delete_person',
      kind: 'procedure',
      parameters: { id: { from: '$id' } },
    });
    expect(group.sql).toMatchObject({ table: 'teams', id: { column: 'team_id', generate: 'uuid' } });
    expect(Object.keys(group.sql?.procedures ?? {})).toEqual([
      'create',
      'update',
      'delete',
      'addMember',
      'removeMember',
    ]);
    expect(group.sql?.procedures?.addMember).toEqual({
      name: 'dbo.scim_add_member',
      kind: 'procedure',
      parameters: { team: { from: '$id' }, member: { from: '$memberId' } },
    });
  });

  it('compiles every attribute form with canonical SCIM names', () => {
    const [userName, active, givenName, workMail, homeMail, addresses, groups, employeeNumber] =
      user.attributes;
    expect(userName).toEqual({
      kind: 'scalar',
      scim: { schema: CORE_USER, attribute: 'userName' },
      readOnly: false,
      target: 'login',
    });
    expect(active).toMatchObject({
      kind: 'scalar',
      target: 'status',
      defaultValue: true,
      transform: { name: 'map' },
    });
    expect(active?.kind === 'scalar' && active.transform?.toBackend(false)).toBe('I');
    expect(active?.kind === 'scalar' && active.transform?.fromBackend('A')).toBe(true);
    expect(givenName).toMatchObject({
      scim: { attribute: 'name', subAttribute: 'givenName' },
      target: 'first_name',
    });
    expect(workMail).toMatchObject({
      scim: { attribute: 'emails', subAttribute: 'value', typeValue: 'work' },
      target: 'work_mail',
    });
    expect(homeMail).toMatchObject({ scim: { typeValue: 'home' }, target: 'home_mail' });
    expect(addresses).toEqual({
      kind: 'childTable',
      scim: { schema: CORE_USER, attribute: 'addresses' },
      readOnly: false,
      table: 'person_addresses',
      ownerColumn: 'person_id',
      columns: { streetAddress: 'street', locality: 'city', type: 'kind' },
    });
    expect(groups).toEqual({
      kind: 'referenceList',
      scim: { schema: CORE_USER, attribute: 'groups' },
      readOnly: true,
      ref: ['Group'],
      joinTable: { table: 'team_members', ownerColumn: 'person_id', valueColumn: 'team_id' },
    });
    expect(employeeNumber).toMatchObject({
      scim: { schema: ENTERPRISE, attribute: 'employeeNumber' },
      readOnly: true,
    });
    expect(group.attributes[1]).toMatchObject({ kind: 'referenceList', ref: ['User'] });
  });

  it('narrows the schemas to what is mapped, with the mapping readOnly applied', () => {
    expect(schemaShape(user)).toEqual({
      [CORE_USER]: [
        'userName:readWrite',
        'name(givenName)',
        'active:readWrite',
        'emails(value,type)',
        'addresses(streetAddress,locality,type)',
        'groups(value,$ref,display,type)',
      ],
      [ENTERPRISE]: ['employeeNumber:readOnly'],
    });
    expect(user.schema.resourceType.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect(user.schema.resolve({ attribute: 'externalId' })?.attribute.name).toBe('externalId');
    expect(user.schema.resolve({ attribute: 'meta', subAttribute: 'version' })).toBeDefined();
    expect(user.schema.resolve({ attribute: 'title' })).toBeUndefined();
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(mapping)).toBe(true);
    expect(Object.isFrozen(mapping.backend)).toBe(true);
    expect(Object.isFrozen(user.attributes[0]?.scim)).toBe(true);
    expect(() => {
      (mapping.resourceTypes as CompiledResourceType[]).push(user);
    }).toThrow(TypeError);
  });
});

describe('a valid LDAP mapping', async () => {
  const mapping = await loadMappingFile(fixture('valid-ldap.yaml'), {});
  const user = resource(mapping.resourceTypes, 'User');
  const group = resource(mapping.resourceTypes, 'Group');

  it('compiles the backend with defaults, the env default, the file secret and the CA file', () => {
    expect(mapping.backend).toEqual({
      type: 'ldap',
      directory: 'activeDirectory',
      url: 'ldaps://dc1.corp.example:636',
      bind: { dn: 'CN=svc-scim,OU=Service,DC=corp,DC=example', password: 's3cr3t-from-file' },
      startTls: false,
      tls: {
        ca: '-----BEGIN CERTIFICATE-----\nTUlJQ0FURVNU\n-----END CERTIFICATE-----\n',
        rejectUnauthorized: true,
      },
      pool: { size: 4 },
      timeouts: { connectMs: 5000, operationMs: 20000 },
    });
  });

  it('compiles the directory specs, the id defaulting to objectGUID for Active Directory', () => {
    expect(user.ldap).toEqual({
      base: 'OU=Staff,DC=corp,DC=example',
      scope: 'sub',
      objectClasses: ['top', 'person', 'organizationalPerson', 'user'],
      baseFilter: '(&(objectCategory=person)(objectClass=user))',
      rdn: { attribute: 'CN', template: '{displayName}' },
      idAttribute: 'objectGUID',
    });
    expect(group.ldap).toMatchObject({
      scope: 'one',
      objectClasses: ['top', 'group'],
      idAttribute: 'objectGUID',
    });
  });

  it('compiles scalars, typed picks, transforms and reference lists', () => {
    const byName = (attribute: string) => user.attributes.find((a) => a.scim.attribute === attribute);
    expect(byName('emails')).toMatchObject({
      kind: 'scalar',
      target: 'mail',
      scim: { typeValue: 'work' },
      transform: { name: 'lowercase' },
    });
    expect(byName('active')).toMatchObject({
      kind: 'scalar',
      target: 'userAccountControl',
      transform: { name: 'adAccountEnabled' },
    });
    expect(byName('groups')).toEqual({
      kind: 'referenceList',
      scim: { schema: CORE_USER, attribute: 'groups' },
      readOnly: true,
      ref: ['Group'],
      ldapAttribute: 'memberOf',
    });
    expect(byName('manager')).toEqual({
      kind: 'scalar',
      scim: { schema: ENTERPRISE, attribute: 'manager' },
      readOnly: false,
      ref: ['User'],
      target: 'manager',
    });
    expect(group.attributes[1]).toEqual({
      kind: 'referenceList',
      scim: { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members' },
      readOnly: false,
      ref: ['User', 'Group'],
      ldapAttribute: 'member',
    });
    const groupsDefinition = user.schema.resolve({ attribute: 'groups' })?.attribute;
    expect(groupsDefinition?.mutability).toBe('readOnly');
  });

  it('takes an env variable over the written default', async () => {
    const other = await loadMappingFile(fixture('valid-ldap.yaml'), { LDAP_URL: 'ldap://127.0.0.1:3389' });
    expect(other.backend.type === 'ldap' && other.backend.url).toBe('ldap://127.0.0.1:3389');
  });
});
