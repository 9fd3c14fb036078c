import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { RawGatewayConfig } from './raw-gateway-config.js';

/** Same layout trick as the mapping schema: two levels below the package root from src/ and dist/. */
export const CONFIG_JSON_SCHEMA_PATH = fileURLToPath(
  new URL('../../schema/crosswalk-config.schema.json', import.meta.url),
);

let validator: ValidateFunction<RawGatewayConfig> | undefined;

/** The compiled validator (allErrors and verbose, as schemaIssues expects). */
export function configValidator(): ValidateFunction<RawGatewayConfig> {
  if (validator === undefined) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      allowUnionTypes: true,
      strict: true,
      strictTypes: false,
      // `then: { required: [...] }` names properties declared one level up, which is fine here.
      strictRequired: false,
    });
    validator = ajv.compile<RawGatewayConfig>(JSON.parse(readFileSync(CONFIG_JSON_SCHEMA_PATH, 'utf8')));
  }
  return validator;
}
