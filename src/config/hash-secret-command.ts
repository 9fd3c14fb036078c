import { formatNewSecretHash } from '../server/auth/secret-hash.js';

/** Reads a whole stream (the secret comes on stdin, never on the command line or in shell history). */
async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `crosswalk hash-secret [--scrypt]`: the `tokenHash` / `passwordHash` text of
 * the secret read from stdin (one trailing newline dropped, as `echo` adds it).
 */
export async function hashSecretFrom(
  input: NodeJS.ReadableStream,
  algorithm: 'sha256' | 'scrypt',
): Promise<string> {
  const secret = (await readAll(input)).replace(/\r?\n$/, '');
  if (secret === '') throw new Error('No secret on stdin');
  return formatNewSecretHash(secret, algorithm);
}
