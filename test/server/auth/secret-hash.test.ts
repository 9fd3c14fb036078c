import { describe, expect, it } from 'vitest';
import {
  formatNewSecretHash,
  hexDigestsEqual,
  parseSecretHash,
  secretHashProblem,
  sha256Hex,
  verifySecret,
} from '../../../src/server/auth/secret-hash.js';

// A cheap scrypt (N=1024) so the table runs fast; `hash-secret` writes N=32768.
const SALT = '00112233445566778899aabbccddeeff';

describe('secret hashes', () => {
  it('sha256: accepts the right secret only', async () => {
    const text = await formatNewSecretHash('s3cret-token', 'sha256');
    expect(text).toMatch(/^sha256:[0-9a-f]{64}$/);
    const hash = parseSecretHash(text);
    expect(await verifySecret('s3cret-token', hash)).toBe(true);
    expect(await verifySecret('s3cret-toke', hash)).toBe(false);
    expect(await verifySecret('s3cret-token ', hash)).toBe(false);
  });

  it('sha256: a configured digest in capitals is held as the lowercase hex the token is compared with', async () => {
    const text = await formatNewSecretHash('s3cret-token', 'sha256');
    const upper = parseSecretHash(`sha256:${text.slice('sha256:'.length).toUpperCase()}`);
    expect(upper.algorithm === 'sha256' && upper.digestHex).toBe(sha256Hex('s3cret-token'));
    expect(await verifySecret('s3cret-token', upper)).toBe(true);
  });

  it('hex digests: equal only when every character is', () => {
    const digest = sha256Hex('token');
    expect(hexDigestsEqual(digest, sha256Hex('token'))).toBe(true);
    expect(hexDigestsEqual(digest, sha256Hex('token2'))).toBe(false);
    expect(hexDigestsEqual(digest, `${digest.slice(0, -1)}${digest.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(hexDigestsEqual(digest, digest.slice(0, -1))).toBe(false);
    expect(hexDigestsEqual('', '')).toBe(true);
  });

  it('scrypt: a new hash verifies, is salted, and refuses other secrets', async () => {
    const first = await formatNewSecretHash('correct horse', 'scrypt');
    const second = await formatNewSecretHash('correct horse', 'scrypt');
    expect(first).toMatch(/^scrypt:32768:8:1:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(first).not.toBe(second);
    expect(await verifySecret('correct horse', parseSecretHash(first))).toBe(true);
    expect(await verifySecret('correct horse!', parseSecretHash(first))).toBe(false);
  });

  it('scrypt: verifies a hash with other parameters', async () => {
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('pw', Buffer.from(SALT, 'hex'), 32, { N: 1024, r: 8, p: 1 }).toString('hex');
    const hash = parseSecretHash(`scrypt:1024:8:1:${SALT}:${key}`);
    expect(await verifySecret('pw', hash)).toBe(true);
    expect(await verifySecret('pW', hash)).toBe(false);
  });

  it.each([
    ['plain text', 'hunter2'],
    ['short sha256', 'sha256:abcd'],
    ['md5', 'md5:0123456789abcdef0123456789abcdef'],
    ['scrypt N not a power of two', `scrypt:1000:8:1:${SALT}:${'ab'.repeat(32)}`],
    ['scrypt odd salt', `scrypt:1024:8:1:${SALT}0:${'ab'.repeat(32)}`],
  ])('refuses %s, without repeating it', (_label, text) => {
    const problem = secretHashProblem(text);
    expect(problem).toBeDefined();
    expect(problem).not.toContain(text);
    expect(() => parseSecretHash(text)).toThrow();
  });
});
