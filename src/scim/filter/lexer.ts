import type { ScimError } from '../errors.js';

/**
 * Tokens of the SCIM filter / PATCH path grammar (RFC 7644 §3.4.2.2, §3.5.2).
 * A `word` is an attribute path (`urn:…:2.0:User:name.givenName`, `$ref`) or a
 * keyword (`and`, `eq`, `true`…); the parser decides which by position.
 */
export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly position: number }
  | { readonly kind: 'string'; readonly text: string; readonly value: string; readonly position: number }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly position: number }
  | { readonly kind: '(' | ')' | '[' | ']' | '.'; readonly text: string; readonly position: number }
  | { readonly kind: 'end'; readonly text: ''; readonly position: number };

export type TokenKind = Token['kind'];

/** Builds the ScimError of the calling grammar (invalidFilter for filters, invalidPath for paths). */
export type SyntaxErrorFactory = (detail: string) => ScimError;

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Positions in messages are 1-based character positions, as an editor shows them. */
export function describePosition(position: number): string {
  return `position ${position + 1}`;
}

/** How a token reads in an error message. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  const shown = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return `'${shown}'`;
}

function isWordStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '$' || ch === '_';
}

function isWordChar(ch: string): boolean {
  return isWordStart(ch) || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.' || ch === ':';
}

function isNumberChar(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || ch === '-' || ch === '+' || ch === '.' || ch === 'e' || ch === 'E';
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** Reads a JSON string starting at the opening quote; returns its decoded value and end index. */
function readJsonString(
  text: string,
  start: number,
  fail: SyntaxErrorFactory,
): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\') {
      const escapeChar = text.charAt(i + 1);
      const simple = SIMPLE_ESCAPES[escapeChar];
      if (simple !== undefined) {
        value += simple;
        i += 2;
        continue;
      }
      if (escapeChar === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw fail(`Invalid \\u escape in string at ${describePosition(i)}: expected 4 hex digits`);
        }
        value += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
        continue;
      }
      if (escapeChar === '') break;
      throw fail(`Invalid escape '\\${escapeChar}' in string at ${describePosition(i)}`);
    }
    if (ch.charCodeAt(0) < 0x20) {
      throw fail(`Unescaped control character in string at ${describePosition(i)}`);
    }
    value += ch;
    i += 1;
  }
  throw fail(`Unterminated string starting at ${describePosition(start)}: expected a closing '"'`);
}

/** Splits filter or path text into tokens; whitespace between tokens is free. */
export function tokenize(text: string, fail: SyntaxErrorFactory): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (isWhitespace(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === '.') {
      tokens.push({ kind: ch, text: ch, position: start });
      i += 1;
    } else if (ch === '"') {
      const { value, end } = readJsonString(text, start, fail);
      tokens.push({ kind: 'string', text: text.slice(start, end), value, position: start });
      i = end;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      while (i < text.length && isNumberChar(text.charAt(i))) i += 1;
      const raw = text.slice(start, i);
      const value = Number(raw);
      if (!JSON_NUMBER.test(raw)) throw fail(`Invalid number '${raw}' at ${describePosition(start)}`);
      if (!Number.isFinite(value))
        throw fail(`Number '${raw}' at ${describePosition(start)} is out of range`);
      tokens.push({ kind: 'number', text: raw, value, position: start });
    } else if (isWordStart(ch)) {
      while (i < text.length && isWordChar(text.charAt(i))) i += 1;
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start });
    } else {
      const shown = ch === "'" ? `${ch} (strings must use double quotes)` : ch;
      throw fail(`Unexpected character ${shown} at ${describePosition(start)}`);
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** A cursor over tokens with one-token lookahead, shared by the filter and path parsers. */
export class TokenStream {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly fail: SyntaxErrorFactory,
  ) {}

  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[this.index + offset] ?? last;
    if (token === undefined) throw new Error('token stream without end token');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  /** True when the next token is the (case-insensitive) keyword. */
  atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }
}
