import { fileURLToPath } from 'node:url';
import type {
  CompiledAttribute,
  CompiledMapping,
  ScimAttributeRef,
} from '../../src/mapping/compiled-mapping.js';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import type { ValueTransform } from '../../src/mapping/transforms/value-transform.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  SCHEMA_URN,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
} from '../../src/scim/schema/core-schemas.js';
import { narrowSchema } from '../../src/scim/schema/narrow-schema.js';
import { createResourceSchema } from '../../src/scim/schema/resource-schema.js';

export const DEMO_MAPPING_FILE = fileURLToPath(new URL('../../mappings/demo-sqlite.yaml', import.meta.url));
const DEMO_DIR = fileURLToPath(new URL('../../mappings/demo-sqlite/', import.meta.url));

const boolean01: ValueTransform = {
  name: 'boolean01',
  toBackend: (value) => (value === true ? 1 : value === false ? 0 : value),
  fromBackend: (value) => (value === null || value === undefined ? undefined : Number(value) === 1),
};

const scim = (schema: string, attribute: string, subAttribute?: string): ScimAttributeRef => ({
  schema,
  attribute,
  ...(subAttribute === undefined ? {} : { subAttribute }),
});

const column = (
  ref: ScimAttributeRef,
  target: string,
  extra: Partial<CompiledAttribute> = {},
): CompiledAttribute =>
  ({ kind: 'scalar', scim: ref, target, readOnly: false, ...extra }) as CompiledAttribute;

const U = SCHEMA_URN.user;
const E = SCHEMA_URN.enterpriseUser;
const G = SCHEMA_URN.group;

/**
 * mappings/demo-sqlite.yaml compiled by hand: what loadMappingFile() must
 * produce for it (the loader is another module; this keeps the store's tests
 * independent of it).
 */
export function demoSqliteMapping(filename: string): CompiledMapping {
  const userAttributes: CompiledAttribute[] = [
    column(scim(U, 'userName'), 'user_name'),
    column(scim(U, 'externalId'), 'external_id'),
    column(scim(U, 'active'), 'active', { transform: boolean01, defaultValue: true }),
    column(scim(U, 'displayName'), 'display_name'),
    column(scim(U, 'name', 'givenName'), 'given_name'),
    column(scim(U, 'name', 'familyName'), 'family_name'),
    column(scim(U, 'name', 'formatted'), 'formatted_name'),
    column(scim(U, 'title'), 'title'),
    {
      kind: 'childTable',
      scim: scim(U, 'emails'),
      readOnly: false,
      table: 'user_emails',
      ownerColumn: 'user_id',
      columns: { value: 'address', type: 'kind', primary: 'is_primary' },
    },
    {
      kind: 'childTable',
      scim: scim(U, 'phoneNumbers'),
      readOnly: false,
      table: 'user_phones',
      ownerColumn: 'user_id',
      columns: { value: 'number', type: 'kind', primary: 'is_primary' },
    },
    column(scim(E, 'employeeNumber'), 'employee_number'),
    column(scim(E, 'department'), 'department'),
    column(scim(E, 'manager'), 'manager_id', { ref: ['User'] }),
  ];
  const groupAttributes: CompiledAttribute[] = [
    column(scim(G, 'displayName'), 'display_name'),
    column(scim(G, 'externalId'), 'external_id'),
    {
      kind: 'referenceList',
      scim: scim(G, 'members'),
      readOnly: false,
      ref: ['User', 'Group'],
      joinTable: {
        table: 'group_members',
        ownerColumn: 'group_id',
        valueColumn: 'member_id',
        typeColumn: 'member_type',
      },
    },
  ];
  const mappedOf = (attributes: CompiledAttribute[], urn: string) =>
    attributes
      .filter((entry) => entry.scim.schema === urn)
      .flatMap((entry) =>
        // A child table maps only the sub-attributes it has columns for.
        entry.kind === 'childTable'
          ? Object.keys(entry.columns).map((subAttribute) => ({
              attribute: entry.scim.attribute,
              subAttribute,
            }))
          : [
              {
                attribute: entry.scim.attribute,
                ...(entry.scim.subAttribute === undefined ? {} : { subAttribute: entry.scim.subAttribute }),
              },
            ],
      );
  const userSchema = createResourceSchema(
    USER_RESOURCE_TYPE,
    narrowSchema(USER_SCHEMA, mappedOf(userAttributes, U)),
    [narrowSchema(ENTERPRISE_USER_SCHEMA, mappedOf(userAttributes, E))],
  );
  const groupSchema = createResourceSchema(
    GROUP_RESOURCE_TYPE,
    narrowSchema(GROUP_SCHEMA, mappedOf(groupAttributes, G)),
    [],
  );
  const timestamps = { createdColumn: 'created_at', lastModifiedColumn: 'updated_at' };
  return {
    source: DEMO_MAPPING_FILE,
    backend: {
      type: 'sql',
      dialect: 'sqlite',
      connection: { filename },
      pool: { min: 1, max: 1 },
      preparedStatements: 0,
      timeouts: { connectMs: 10_000 },
      bootstrap: {
        schemaFile: `${DEMO_DIR}schema.sql`,
        seedFile: `${DEMO_DIR}seed.sql`,
        whenTableMissing: 'users',
      },
    },
    resourceTypes: [
      {
        name: 'User',
        schema: userSchema,
        attributes: userAttributes,
        sql: {
          table: 'users',
          id: { column: 'id', generate: 'uuid', type: 'uuid' },
          version: { column: 'version', kind: 'counter' },
          ...timestamps,
        },
      },
      {
        name: 'Group',
        schema: groupSchema,
        attributes: groupAttributes,
        sql: {
          table: 'groups',
          id: { column: 'id', generate: 'uuid', type: 'uuid' },
          version: { column: 'version', kind: 'counter' },
          ...timestamps,
        },
      },
    ],
  };
}

/** mappings/demo-sqlite.yaml through the real loader, its database at `filename`. */
export function loadDemoSqliteMapping(filename: string): Promise<CompiledMapping> {
  return loadMappingFile(DEMO_MAPPING_FILE, { CROSSWALK_SQLITE_FILE: filename });
}
