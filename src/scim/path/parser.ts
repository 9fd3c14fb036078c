import { scimErrors } from '../errors.js';
import {
  describePosition,
  describeToken,
  type SyntaxErrorFactory,
  TokenStream,
  tokenize,
} from '../filter/lexer.js';
import { FilterGrammar, MAX_FILTER_LENGTH, toAttributePath } from '../filter/parser.js';
import type { PatchPath } from './ast.js';

/**
 * Parses a PATCH path (RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]):
 * `name.givenName`, `members[value eq "…"]`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:manager`. A bare schema URN parses as
 * {schema: '…:2.0', attribute: 'User'}; the schema layer recognises it.
 * Every syntax error, including one inside the value filter, is 400 invalidPath.
 */
export function parsePath(text: string): PatchPath {
  const fail: SyntaxErrorFactory = scimErrors.invalidPath;
  if (typeof text !== 'string') throw fail('The path must be a string');
  if (text.length > MAX_FILTER_LENGTH) {
    throw fail(`The path is ${text.length} characters long; at most ${MAX_FILTER_LENGTH} are accepted`);
  }
  if (text.trim() === '') throw fail('The path is empty');

  const stream = new TokenStream(tokenize(text, fail), fail);
  const attributeToken = stream.next();
  const path = toAttributePath(attributeToken, fail);
  const base: PatchPath = {
    ...(path.schema === undefined ? {} : { schema: path.schema }),
    attribute: path.attribute,
    ...(path.subAttribute === undefined ? {} : { subAttribute: path.subAttribute }),
  };

  let result: PatchPath = base;
  if (stream.peek().kind === '[') {
    if (path.subAttribute !== undefined) {
      throw fail(
        `A value filter applies to an attribute, not to the sub-attribute '${attributeToken.text}' at ${describePosition(attributeToken.position)}`,
      );
    }
    const valueFilter = new FilterGrammar(stream).parseBracketedValueFilter();
    result = { ...base, valueFilter };
    if (stream.peek().kind === '.') {
      stream.next();
      const subToken = stream.next();
      const sub = toAttributePath(subToken, fail);
      if (sub.schema !== undefined || sub.subAttribute !== undefined) {
        throw fail(`Expected a sub-attribute name after '].' at ${describePosition(subToken.position)}`);
      }
      result = { ...result, subAttribute: sub.attribute };
    }
  }

  const rest = stream.peek();
  if (rest.kind !== 'end') {
    throw fail(
      `Unexpected ${describeToken(rest)} at ${describePosition(rest.position)}: expected the end of the path`,
    );
  }
  return result;
}
