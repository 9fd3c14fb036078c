import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/scim/errors.js';
import { matchesFilter } from '../../src/scim/filter/evaluate-filter.js';
import { expandSchemasFilter } from '../../src/scim/filter/expand-schemas-filter.js';
import { parseFilter } from '../../src/scim/filter/parser.js';
import { validateFilter } from '../../src/scim/filter/validate-filter.js';
import { ENTERPRISE, groupSchema, userSchema } from './support/schemas.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const withExtension = { id: 'u1', userName: 'a', [ENTERPRISE]: { department: 'QA' } };
const withManagerOnly = { id: 'u2', userName: 'b', [ENTERPRISE]: { manager: { value: 'u1' } } };
const coreOnly = { id: 'u3', userName: 'c' };
const users = [withExtension, withManagerOnly, coreOnly];

/** Which of the users the expanded filter keeps, evaluated in memory (the stores push the same tree down). */
function kept(filter: string): string[] {
  const expanded = expandSchemasFilter(userSchema, parseFilter(filter));
  validateFilter(userSchema, expanded);
  return users.filter((user) => matchesFilter(userSchema, user, expanded)).map((user) => user.id);
}

describe('filters on schemas (RFC 7644 §3.4.2.2)', () => {
  it.each([
    [`schemas eq "${ENTERPRISE}"`, ['u1', 'u2']],
    [`schemas eq "${ENTERPRISE.toUpperCase()}"`, ['u1', 'u2']],
    [`SCHEMAS eq "${CORE}"`, ['u1', 'u2', 'u3']],
    [`${CORE}:schemas eq "${CORE}"`, ['u1', 'u2', 'u3']],
    ['schemas eq "urn:example:unknown"', []],
    [`schemas ne "${ENTERPRISE}"`, ['u3']],
    [`not (schemas eq "${ENTERPRISE}")`, ['u3']],
    ['schemas co "enterprise"', ['u1', 'u2']],
    ['schemas sw "urn:ietf:params:scim:schemas:core"', ['u1', 'u2', 'u3']],
    ['schemas ew ":User"', ['u1', 'u2', 'u3']],
    ['schemas pr', ['u1', 'u2', 'u3']],
    [`userName eq "c" or schemas eq "${ENTERPRISE}"`, ['u1', 'u2', 'u3']],
    [`userName eq "a" and schemas eq "${ENTERPRISE}"`, ['u1']],
  ])('%s', (filter, expected) => {
    expect(kept(filter)).toEqual(expected);
  });

  it('a Group (no extensions) carries only its core schema', () => {
    const expanded = expandSchemasFilter(groupSchema, parseFilter(`schemas eq "${ENTERPRISE}"`));
    expect(matchesFilter(groupSchema, { id: 'g', displayName: 'G' }, expanded)).toBe(false);
  });

  it('leaves other filters untouched', () => {
    const filter = parseFilter('emails[type eq "work"] and userName eq "schemas"');
    expect(expandSchemasFilter(userSchema, filter)).toEqual(filter);
  });

  it('a non-string value → 400 invalidFilter', () => {
    try {
      expandSchemasFilter(userSchema, parseFilter('schemas eq true'));
      expect.unreachable('expected a ScimError');
    } catch (error) {
      expect(isScimError(error) && error.scimType).toBe('invalidFilter');
    }
  });
});
