import { type ScimError, scimErrors } from '../errors.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.js';
import {
  describePosition,
  describeToken,
  type SyntaxErrorFactory,
  type Token,
  TokenStream,
  tokenize,
} from './lexer.js';

/** Longer filters are refused before parsing: no real client sends them, abusers do. */
export const MAX_FILTER_LENGTH = 10_000;
/** Parentheses, `not` and value paths nest at most this deep, so recursion can never overflow the stack. */
export const MAX_FILTER_DEPTH = 64;

const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
]);
const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, ge, lt, le or pr';
const ATTRIBUTE_NAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into its AST. Keywords are
 * case-insensitive; precedence is not > and > or, both left-associative.
 * Every syntax error is a 400 invalidFilter naming what was expected where.
 */
export function parseFilter(text: string): Filter {
  const fail: SyntaxErrorFactory = scimErrors.invalidFilter;
  if (typeof text !== 'string') throw fail('The filter must be a string');
  if (text.length > MAX_FILTER_LENGTH) {
    throw fail(`The filter is ${text.length} characters long; at most ${MAX_FILTER_LENGTH} are accepted`);
  }
  if (text.trim() === '') throw fail('The filter is empty');
  const stream = new TokenStream(tokenize(text, fail), fail);
  const filter = new FilterGrammar(stream).parseFilter();
  const rest = stream.peek();
  if (rest.kind !== 'end') throw unexpectedAfterExpression(stream, rest);
  return filter;
}

/**
 * Turns a `word` token into an attribute path. The schema is everything
 * before the LAST colon, because schema URNs contain dots (`…:2.0:User`).
 */
export function toAttributePath(token: Token, fail: SyntaxErrorFactory): AttributePath {
  const where = describePosition(token.position);
  if (token.kind !== 'word') {
    throw fail(`Expected an attribute name at ${where}, found ${describeToken(token)}`);
  }
  const text = token.text;
  const lastColon = text.lastIndexOf(':');
  const schema = lastColon >= 0 ? text.slice(0, lastColon) : undefined;
  const rest = lastColon >= 0 ? text.slice(lastColon + 1) : text;
  if (schema !== undefined && (schema === '' || schema.endsWith(':'))) {
    throw fail(`Invalid schema URN in attribute path '${text}' at ${where}`);
  }
  const parts = rest.split('.');
  if (parts.length > 2) {
    throw fail(`Attribute path '${text}' at ${where} has more than one sub-attribute`);
  }
  const [attribute = '', subAttribute] = parts;
  for (const name of parts) {
    if (!ATTRIBUTE_NAME.test(name)) {
      const shown = name === '' ? 'an empty name' : `'${name}'`;
      throw fail(`Invalid attribute name in '${text}' at ${where}: ${shown} is not an attribute name`);
    }
  }
  return {
    ...(schema === undefined ? {} : { schema }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute }),
  };
}

/** The error for a token that cannot follow a complete expression. */
function unexpectedAfterExpression(stream: TokenStream, token: Token): ScimError {
  const where = describePosition(token.position);
  if (token.kind === ')') return stream.fail(`Unexpected ')' at ${where}: no matching '('`);
  if (token.kind === ']') return stream.fail(`Unexpected ']' at ${where}: no matching '['`);
  return stream.fail(
    `Expected 'and', 'or' or the end of the filter at ${where}, found ${describeToken(token)}`,
  );
}

/**
 * Recursive-descent grammar over a token stream. Also used by the PATCH path
 * parser for the value filter inside `attr[...]`, with invalidPath errors.
 */
export class FilterGrammar {
  private depth = 0;

  constructor(private readonly stream: TokenStream) {}

  /** FILTER = orExpression; inside a value path, `[` may not nest. */
  parseFilter(insideValuePath = false): Filter {
    let left = this.parseAnd(insideValuePath);
    while (this.stream.atKeyword('or')) {
      this.stream.next();
      const right = this.parseAnd(insideValuePath);
      left = { kind: 'or', left, right };
    }
    return left;
  }

  /** Parses `[valFilter]` after an attribute path; the caller has not consumed `[`. */
  parseBracketedValueFilter(): Filter {
    const open = this.stream.next();
    this.enter(open);
    const filter = this.parseFilter(true);
    const close = this.stream.peek();
    if (close.kind !== ']') {
      if (close.kind === '[') {
        throw this.stream.fail(
          `Nested value paths are not allowed: unexpected '[' at ${describePosition(close.position)}`,
        );
      }
      throw this.stream.fail(
        `Expected ']' at ${describePosition(close.position)} to close the '[' at ${describePosition(open.position)}, found ${describeToken(close)}`,
      );
    }
    this.stream.next();
    this.depth -= 1;
    return filter;
  }

  private parseAnd(insideValuePath: boolean): Filter {
    let left = this.parseUnary(insideValuePath);
    while (this.stream.atKeyword('and')) {
      this.stream.next();
      const right = this.parseUnary(insideValuePath);
      left = { kind: 'and', left, right };
    }
    return left;
  }

  private parseUnary(insideValuePath: boolean): Filter {
    const token = this.stream.peek();
    if (this.isNotKeyword()) {
      this.stream.next();
      this.enter(token);
      const operand = this.parseUnary(insideValuePath);
      this.depth -= 1;
      return { kind: 'not', filter: operand };
    }
    if (token.kind === '(') {
      this.stream.next();
      this.enter(token);
      const inner = this.parseFilter(insideValuePath);
      const close = this.stream.peek();
      if (close.kind !== ')') {
        if (close.kind === '[' && insideValuePath) {
          throw this.stream.fail(
            `Nested value paths are not allowed: unexpected '[' at ${describePosition(close.position)}`,
          );
        }
        throw this.stream.fail(
          `Expected ')' at ${describePosition(close.position)} to close the '(' at ${describePosition(token.position)}, found ${describeToken(close)}`,
        );
      }
      this.stream.next();
      this.depth -= 1;
      return inner;
    }
    return this.parseAttributeExpression(insideValuePath);
  }

  /** `not` is a keyword unless it is an attribute called "not" followed by an operator. */
  private isNotKeyword(): boolean {
    if (!this.stream.atKeyword('not')) return false;
    const following = this.stream.peek(1);
    if (following.kind === '(') return true;
    if (following.kind !== 'word') return false;
    const lower = following.text.toLowerCase();
    return !COMPARE_OPERATORS.has(lower) && lower !== 'pr';
  }

  private parseAttributeExpression(insideValuePath: boolean): Filter {
    const token = this.stream.next();
    if (token.kind === 'end') {
      throw this.stream.fail(
        `Expected an attribute name at ${describePosition(token.position)}, found end of input`,
      );
    }
    if (token.kind === 'word' && (token.text.toLowerCase() === 'and' || token.text.toLowerCase() === 'or')) {
      throw this.stream.fail(
        `Expected an attribute name at ${describePosition(token.position)}, found the keyword '${token.text}'`,
      );
    }
    const path = toAttributePath(token, this.stream.fail);
    if (this.stream.peek().kind !== '[') return this.parseComparison(path, token);

    if (insideValuePath) {
      throw this.stream.fail(
        `Nested value paths are not allowed: unexpected '[' at ${describePosition(this.stream.peek().position)}`,
      );
    }
    if (path.subAttribute !== undefined) {
      throw this.stream.fail(
        `A value path applies to an attribute, not to the sub-attribute '${token.text}' at ${describePosition(token.position)}`,
      );
    }
    const inner = this.parseBracketedValueFilter();
    if (this.stream.peek().kind !== '.') return { kind: 'valuePath', path, filter: inner };

    // Entra ID sends `emails[type eq "work"].value eq "x"`: fold the trailing comparison into the value filter.
    this.stream.next();
    const subToken = this.stream.next();
    const sub = toAttributePath(subToken, this.stream.fail);
    if (sub.schema !== undefined || sub.subAttribute !== undefined) {
      throw this.stream.fail(
        `Expected a sub-attribute name after '].' at ${describePosition(subToken.position)}`,
      );
    }
    const comparison = this.parseComparison(sub, subToken);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: comparison } };
  }

  /** attrPath SP compareOp SP compValue, or attrPath SP "pr". */
  private parseComparison(path: AttributePath, pathToken: Token): Filter {
    const operatorToken = this.stream.next();
    if (operatorToken.kind !== 'word') {
      throw this.stream.fail(
        `Expected an operator (${OPERATOR_LIST}) after '${pathToken.text}' at ${describePosition(operatorToken.position)}, found ${describeToken(operatorToken)}`,
      );
    }
    const operator = operatorToken.text.toLowerCase();
    if (operator === 'pr') {
      const after = this.stream.peek();
      if (after.kind === 'string' || after.kind === 'number' || this.isLiteralWord(after)) {
        throw this.stream.fail(
          `The operator 'pr' takes no value, found ${describeToken(after)} at ${describePosition(after.position)}`,
        );
      }
      return { kind: 'present', path };
    }
    if (!COMPARE_OPERATORS.has(operator)) {
      throw this.stream.fail(
        `Unknown operator '${operatorToken.text}' at ${describePosition(operatorToken.position)}; expected ${OPERATOR_LIST}`,
      );
    }
    const value = this.parseValue(operatorToken);
    return { kind: 'compare', path, op: operator as CompareOperator, value };
  }

  private isLiteralWord(token: Token): boolean {
    if (token.kind !== 'word') return false;
    const lower = token.text.toLowerCase();
    return lower === 'true' || lower === 'false' || lower === 'null';
  }

  /** compValue = false / null / true / number / string (JSON). */
  private parseValue(operatorToken: Token): FilterValue {
    const token = this.stream.next();
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
    }
    const found =
      token.kind === 'word'
        ? `${describeToken(token)} (strings must be in double quotes)`
        : describeToken(token);
    throw this.stream.fail(
      `Expected a value (a "string", number, true, false or null) after '${operatorToken.text}' at ${describePosition(token.position)}, found ${found}`,
    );
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw this.stream.fail(
        `The expression nests deeper than ${MAX_FILTER_DEPTH} levels at ${describePosition(token.position)}`,
      );
    }
  }
}
