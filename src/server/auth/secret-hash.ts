import { hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * A stored secret (bearer token or Basic password) as the configuration
 * holds it: never the secret itself, only a digest to compare against.
 *
 * Text forms:
 * - `sha256:<64 hex>` — for long random tokens, where a fast digest is enough.
 * - `scrypt:<N>:<r>:<p>:<salt hex>:<key hex>` — for anything a person chose.
 */
export type SecretHash =
  | {
      readonly algorithm: 'sha256';
      /** The digest as lowercase hex: what a bearer token on every request is compared with (sha256Hex). */
      readonly digestHex: string;
    }
  | {
      readonly algorithm: 'scrypt';
      readonly cost: number;
      readonly blockSize: number;
      readonly parallelization: number;
      readonly salt: Buffer;
      readonly key: Buffer;
    };

const SHA256 = /^sha256:([0-9a-f]{64})$/i;
const SCRYPT = /^scrypt:(\d+):(\d+):(\d+):([0-9a-f]{16,}):([0-9a-f]{32,})$/i;

/** Parameters of hashes `crosswalk hash-secret` writes (N=2^15: about 0.1 s and 32 MiB per check; a verified secret is cached). */
const SCRYPT_DEFAULTS = { cost: 2 ** 15, blockSize: 8, parallelization: 1, keyLength: 32 } as const;

/** The same check scrypt itself makes; over it scrypt fails at run time, so the config is refused instead. */
const isPowerOfTwo = (n: number): boolean => n > 1 && (n & (n - 1)) === 0;

/** Why a hash text is not usable, or undefined when it is. Messages never repeat the text. */
export function secretHashProblem(text: string): string | undefined {
  if (SHA256.test(text)) return undefined;
  const match = SCRYPT.exec(text);
  if (match === null)
    return 'must be "sha256:<64 hex digits>" or "scrypt:<N>:<r>:<p>:<salt hex>:<key hex>" (see crosswalk hash-secret)';
  const [, cost = '', , , salt = ''] = match;
  if (!isPowerOfTwo(Number(cost)) || Number(cost) > 2 ** 20)
    return 'the scrypt cost N must be a power of two up to 1048576';
  if (salt.length % 2 !== 0) return 'the scrypt salt must be whole bytes of hex';
  return undefined;
}

/** Parses a hash text checked by secretHashProblem; throws on anything else. */
export function parseSecretHash(text: string): SecretHash {
  const problem = secretHashProblem(text);
  if (problem !== undefined) throw new Error(`Invalid secret hash: ${problem}`);
  const sha = SHA256.exec(text);
  if (sha !== null) return { algorithm: 'sha256', digestHex: (sha[1] ?? '').toLowerCase() };
  const [, cost = '', blockSize = '', parallelization = '', salt = '', key = ''] = SCRYPT.exec(text) ?? [];
  return {
    algorithm: 'scrypt',
    cost: Number(cost),
    blockSize: Number(blockSize),
    parallelization: Number(parallelization),
    salt: Buffer.from(salt, 'hex'),
    key: Buffer.from(key, 'hex'),
  };
}

/** One-shot digest (no Hash object): it runs for the token of every request. */
export function sha256(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * Hex one-shot digest, for the token of every request: Node 20 returns the
 * hex string several times faster than a Buffer (measured ~0.8 µs against
 * ~2.4 µs), and no Buffer is allocated.
 */
export function sha256Hex(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/**
 * Whether two strings of digest hex are equal, in time that does not depend
 * on where they differ (the string counterpart of timingSafeEqual).
 */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** A plain secret (from a secret reference) hashed at load, so it is held only as a digest. */
export function hashSecretSha256(secret: string): SecretHash {
  return { algorithm: 'sha256', digestHex: sha256Hex(secret) };
}

function scryptKey(secret: string, hash: Extract<SecretHash, { algorithm: 'scrypt' }>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      hash.salt,
      hash.key.length,
      {
        N: hash.cost,
        r: hash.blockSize,
        p: hash.parallelization,
        // Node's default (32 MiB) is below what N=2^17 needs; allow the configured cost.
        maxmem: 256 * hash.cost * hash.blockSize + 1024 * 1024,
      },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

/** Constant-time comparison of a presented secret with a stored hash. */
export async function verifySecret(secret: string, hash: SecretHash): Promise<boolean> {
  if (hash.algorithm === 'sha256') return hexDigestsEqual(sha256Hex(secret), hash.digestHex);
  const key = await scryptKey(secret, hash);
  return key.length === hash.key.length && timingSafeEqual(key, hash.key);
}

/** The text form of a new hash of `secret` (what `crosswalk hash-secret` prints). */
export async function formatNewSecretHash(secret: string, algorithm: 'sha256' | 'scrypt'): Promise<string> {
  if (algorithm === 'sha256') return `sha256:${sha256(secret).toString('hex')}`;
  const salt = randomBytes(16);
  const params = {
    algorithm: 'scrypt',
    cost: SCRYPT_DEFAULTS.cost,
    blockSize: SCRYPT_DEFAULTS.blockSize,
    parallelization: SCRYPT_DEFAULTS.parallelization,
    salt,
    key: Buffer.alloc(SCRYPT_DEFAULTS.keyLength),
  } as const;
  const key = await scryptKey(secret, params);
  return `scrypt:${params.cost}:${params.blockSize}:${params.parallelization}:${salt.toString('hex')}:${key.toString('hex')}`;
}
