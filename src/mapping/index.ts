/** The mapping module's public surface: load, validate, and the compiled shapes backends consume. */
export type * from './compiled-mapping.js';
export { type LoadMappingOptions, loadMappingFile, loadMappingText } from './load-mapping.js';
export { formatIssues, MappingError, type MappingIssue } from './mapping-error.js';
export { MAPPING_JSON_SCHEMA_PATH } from './mapping-json-schema.js';
export { ACCOUNT_DISABLE, applyAccountEnabled, NORMAL_ACCOUNT } from './transforms/account-enabled.js';
export { BUILTIN_TRANSFORMS } from './transforms/builtin-transforms.js';
export { guidFromBytes, guidToBytes } from './transforms/guid.js';
export { createValueMapTransform } from './transforms/value-map.js';
export type { ValueTransform } from './transforms/value-transform.js';
export { type MappingValidation, validateMappingFile } from './validate-mapping.js';
