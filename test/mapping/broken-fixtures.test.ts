// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests are about ${…} references written as plain text
import { describe, expect, it } from 'vitest';
import { loadMappingFile } from '../../src/mapping/load-mapping.js';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { fixture } from './fixture-path.js';

/** Each broken fixture with every `line:col: message` the loader must print for it, in file order. */
const CASES: readonly { file: string; expected: readonly string[] }[] = [
  { file: 'empty.yaml', expected: ['1:1: the file is empty'] },
  {
    // not .yaml: the linter would reject the broken syntax
    file: 'yaml-syntax.txt',
    expected: ['3:1: YAML: Flow map in block collection must be sufficiently indented and end with a }'],
  },
  { file: 'duplicate-key.yaml', expected: ['12:7: YAML: Map keys must be unique'] },
  {
    file: 'schema-errors.yaml',
    expected: [
      '1:10: version: must be 1',
      '4:12: backend.dialect: must be one of sqlite, postgres, mysql, mssql (got "oracle")',
      '6:16: backend.pool.max: must be a whole number',
      '8:3: resources.User: missing required property "table"',
      '15:9: resources.User.attributes.emails: unknown property "colums" (did you mean "columns"?)',
    ],
  },
  {
    file: 'ldap-schema-errors.yaml',
    expected: [
      '6:3: backend: unknown property "startTLS" (did you mean "startTls"?)',
      '13:7: resources.User.attributes.userName: missing required property "ldap"',
      '13:19: resources.User.attributes.userName: unknown property "column" (an LDAP mapping names the attribute with "ldap")',
      '14:14: resources.User.attributes.title: must be a string or a map',
    ],
  },
  {
    file: 'scim-attributes.yaml',
    expected: [
      '12:7: resources.User.attributes.emailz: unknown SCIM attribute "emailz" for User (did you mean "emails"?)',
      '13:7: resources.User.attributes["name.givenNme"]: "name" has no sub-attribute "givenNme" (did you mean "givenName"?)',
      '14:7: resources.User.attributes.name: name is complex: map its sub-attributes (e.g. name.formatted)',
      '15:7: resources.User.attributes.emails: emails is multi-valued: map it to a child table ({ table, owner, columns }) or pick one value with emails[type eq "work"].value',
      '16:7: resources.User.attributes["phoneNumbers.value"]: phoneNumbers is multi-valued: map it to a child table ({ table, owner, columns }) or pick one value with phoneNumbers[type eq "work"].value',
      `17:7: resources.User.attributes.id: id is not mapped under attributes: it comes from the resource's "id" setting`,
      '18:7: resources.User.attributes["urn:example:custom:2.0:User:badge"]: "urn:example:custom:2.0:User:badge" starts with an unknown schema URN (known: urn:ietf:params:scim:schemas:core:2.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User)',
      '19:7: resources.User.attributes["roles[display eq \\"x\\"].value"]: "roles[display eq "x"].value": only [type eq "…"] selectors are supported',
      '20:3: resources.Users: unknown resource type "Users" (did you mean "User"?) (Crosswalk serves User and Group)',
    ],
  },
  {
    file: 'references-and-transforms.yaml',
    expected: [
      '11:49: resources.User.attributes.userName.transform: unknown transform "lowercas" (did you mean "lowercase"?) (known: boolean01, booleanYN, booleanTF, lowercase, uppercase, isoDate, generalizedTime, adAccountEnabled, guid)',
      '12:45: resources.User.attributes.active.transform: transform isoDate is for dateTime attributes; active is boolean',
      '13:49: resources.User.attributes.displayName.ref: displayName is not a reference: remove "ref"',
      '14:40: resources.User.attributes.title.default: default must be a string value like title itself',
      '15:102: resources.User.attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"].ref: ref names "Person", a resource type this mapping does not define',
      '21:7: resources.Group.attributes.members: a join table entry needs "table", "owner", "value" and "ref"',
    ],
  },
  {
    file: 'duplicates.yaml',
    expected: [
      '12:7: resources.User.attributes.UserName: userName is already mapped by "userName" (line 11)',
      '13:20: resources.User.attributes.displayName: column "user_name" is already used by userName (line 11); mark one of them readOnly to show it twice',
      '15:19: resources.User.attributes.externalId: column "id" is already used by id (line 9); mark one of them readOnly to show it twice',
      '19:42: resources.User.attributes.emails.columns.type: column "user_id" is already used by emails owner (line 18); mark one of them readOnly to show it twice',
      '23:5: resources.Group.attributes: displayName is not mapped (every Group needs one)',
    ],
  },
  {
    file: 'ldap-semantics.yaml',
    expected: [
      '5:13: backend.startTls: StartTLS is for ldap:// URLs; ldaps:// is encrypted already',
      '11:13: resources.User.filter: an LDAP filter is written in parentheses, e.g. (objectClass=person)',
      '12:10: resources.User.rdn: {mail} is not a mapped attribute of User',
      '15:7: resources.User.attributes.emails: emails is multi-valued: pick one value with emails[type eq "work"].value',
      '16:7: resources.User.attributes.mail: unknown SCIM attribute "mail" for User',
      '20:10: resources.Group.rdn: "cn" is not an RDN template such as uid={userName}',
      '23:7: resources.Group.attributes.members: members is multi-valued: map it as { ldap: member, ref: [User, Group] }',
    ],
  },
  {
    file: 'procedures.yaml',
    expected: [
      '15:5: resources.User.procedures: delete missing: with procedures every write of User goes through them (create, update, delete)',
      '16:7: resources.User.procedures.create: create must hand back the id the database generates: add returns (a column of the row it returns, or { output: param })',
      '17:15: resources.User.procedures.create.name: "dbo.create_user; DROP TABLE users" is not a procedure name (an identifier, optionally schema-qualified: dbo.usp_CreateUser)',
      '18:15: resources.User.procedures.create.kind: functions are called only on PostgreSQL; mssql calls procedures',
      '21:26: resources.User.procedures.create.parameters.given.from: "name.givenNam" is not a SCIM attribute of User',
      `22:17: resources.User.procedures.create.parameters.nick: "nickName" is not mapped in attributes: a parameter passes a mapped attribute's value`,
      '23:16: resources.User.procedures.create.parameters.emp: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber" is readOnly in the mapping, so no write passes it',
      '24:16: resources.User.procedures.create.parameters.key: the database generates this id (generate: database): create cannot receive $id; name the new id under returns',
      '25:19: resources.User.procedures.create.parameters.member: unknown source "$memberId" (known: $id, $version or a SCIM attribute)',
      '26:11: resources.User.procedures.create.parameters["bad name"]: "bad name" is not a parameter name (letters, digits and _)',
      '27:39: resources.User.procedures.create.parameters.title.type: unknown mssql type "nvarchr" (did you mean "nvarchar"?)',
      '28:7: resources.User.procedures.update: update passes no parameter for the writable attribute title (add a parameter, or mark it readOnly)',
      '30:9: resources.User.procedures.update.parameters: update needs a parameter from $id',
      '31:9: resources.User.procedures.update.returns: only create hands back a value (the new id)',
      '32:7: resources.User.procedures.addMember: addMember needs a writable reference list (members) in attributes',
      '32:7: resources.User.procedures.addMember.parameters: addMember needs a parameter from $id',
      '32:7: resources.User.procedures.addMember.parameters: addMember needs a parameter from $memberId',
      '40:5: resources.Group.procedures: removeMember missing: with procedures every write of Group goes through them (create, update, delete, addMember, removeMember)',
      '41:7: resources.Group.procedures.create: create needs the new id: pass it from $id (Crosswalk generates a UUID), or add returns',
      '44:96: resources.Group.procedures.addMember.parameters.members: "members" is a reference list: its values go one at a time to addMember/removeMember ($memberId)',
    ],
  },
  {
    file: 'procedures-dialects.yaml',
    expected: [
      "9:34: resources.User.version.kind: rowversion is SQL Server's; on postgres use counter or timestamp",
      '17:28: resources.User.procedures.create.returns.output: a PostgreSQL function hands back a row: name its column (returns: { column: … }), or use kind: procedure with an INOUT parameter',
      '20:62: resources.User.procedures.update.parameters.name.type: unknown postgres type "nvarchar" (did you mean "varchar"?)',
      '23:9: resources.User.procedures.delete.returns: only create hands back a value (the new id)',
      '31:18: resources.Group.procedures.create.returns: give either "column" (a column of the returned row) or "output" (an OUTPUT parameter)',
    ],
  },
  {
    file: 'secrets.yaml',
    expected: [
      '4:8: backend.url: environment variable CROSSWALK_TEST_UNSET_URL is not set',
      '7:15: backend.bind.password: cannot read file "./no-such-password.txt" (ENOENT)',
      '8:14: backend.tls.ca: unknown reference "${vault:…}" (use ${env:NAME} or ${file:PATH})',
    ],
  },
];

describe('broken mapping files', () => {
  it.each(CASES)('$file', async ({ file, expected }) => {
    const path = fixture(`broken/${file}`);
    const error = await loadMappingFile(path, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MappingError);
    const formatted = (error as MappingError).format();
    expect(formatted).toBe(expected.map((line) => `${path}:${line}`).join('\n'));
    for (const issue of (error as MappingError).issues) expect(issue.file).toBe(path);
  });

  it('reports a file that cannot be read as an issue, not an fs exception', async () => {
    const error = await loadMappingFile(fixture('broken/does-not-exist.yaml'), {}).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).issues[0]?.message).toBe('cannot read the mapping file (ENOENT)');
  });
});
