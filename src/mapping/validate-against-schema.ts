import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from './did-you-mean.js';
import type { MappingIssue } from './mapping-error.js';
import { type JsonSchemaNode, mappingJsonSchema } from './mapping-json-schema.js';
import type { RawMapping } from './raw-mapping.js';
import type { DocumentPath, YamlSource } from './yaml-source.js';

let validator: ValidateFunction<RawMapping> | undefined;

function compiledValidator(): ValidateFunction<RawMapping> {
  if (validator === undefined) {
    // verbose: errors carry their parent schema, which lists the valid property names for "did you mean".
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      allowUnionTypes: true,
      strict: true,
      strictTypes: false,
    });
    validator = ajv.compile<RawMapping>(mappingJsonSchema());
  }
  return validator;
}

/** `resources.User.attributes["name.givenName"]`: dotted where unambiguous, bracketed otherwise. */
export function describePath(path: DocumentPath): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(step)) text += text === '' ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a map',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function propertyNames(schema: unknown): string[] {
  const properties = (schema as JsonSchemaNode | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
}

/** Data path of the error, with array indices as numbers so positions can be looked up. */
function dataPath(error: ErrorObject, data: unknown): (string | number)[] {
  const steps = decodePointer(error.instancePath);
  let current: unknown = data;
  return steps.map((step) => {
    const isIndex = Array.isArray(current) && /^\d+$/.test(step);
    const key = isIndex ? Number(step) : step;
    current =
      current !== null && typeof current === 'object'
        ? (current as Record<string, unknown>)[step]
        : undefined;
    return key;
  });
}

function toIssue(source: YamlSource, error: ErrorObject): MappingIssue | undefined {
  const path = dataPath(error, source.data);
  const where = describePath(path);
  const prefix = where === '' ? '' : `${where}: `;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      // The nested errors of the chosen branch say what is wrong; "must match then" adds nothing.
      return undefined;
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = propertyNames(error.parentSchema);
      const hint =
        name === 'column' && known.includes('ldap')
          ? ' (an LDAP mapping names the attribute with "ldap")'
          : name === 'ldap' && known.includes('column')
            ? ' (an SQL mapping names the column with "column")'
            : didYouMean(name, known);
      return source.issueAt([...path, name], `${prefix}unknown property "${name}"${hint}`, 'key');
    }
    case 'required':
      return source.issueAt(
        path,
        `${prefix}missing required property "${String(params.missingProperty)}"`,
        'key',
      );
    case 'type':
      return source.issueAt(path, `${prefix}must be ${typeWords(params.type)}`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return source.issueAt(
        path,
        `${prefix}must be one of ${allowed.join(', ')} (got ${JSON.stringify(error.data)})${hint}`,
      );
    }
    case 'const':
      return source.issueAt(path, `${prefix}must be ${JSON.stringify(params.allowedValue)}`);
    case 'minLength':
    case 'minProperties':
    case 'minItems':
      return source.issueAt(path, `${prefix}must not be empty`);
    case 'minimum':
      return source.issueAt(path, `${prefix}must be at least ${String(params.limit)}`);
    default:
      return source.issueAt(path, `${prefix}${error.message ?? 'is not valid'}`);
  }
}

/** JSON Schema validation with messages an identity admin understands, each at its line and column. */
export function validateAgainstSchema(source: YamlSource): { mapping?: RawMapping; issues: MappingIssue[] } {
  const validate = compiledValidator();
  if (validate(source.data)) return { mapping: source.data, issues: [] };
  return { issues: schemaIssues(source, validate) };
}

/** The errors of a failed ajv validation (compiled with allErrors and verbose) as positioned issues. */
export function schemaIssues(source: YamlSource, validate: ValidateFunction): MappingIssue[] {
  const seen = new Set<string>();
  const issues: MappingIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = toIssue(source, error);
    if (issue === undefined) continue;
    const key = `${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
