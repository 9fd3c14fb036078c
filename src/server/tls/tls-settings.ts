import { readFileSync } from 'node:fs';

/** A PEM given inline (a secret reference resolved at load) or as a file to (re)read. */
export type PemSource = { readonly file: string } | { readonly pem: string };

export interface TlsSettings {
  readonly cert: PemSource;
  readonly key: PemSource;
  readonly passphrase?: string;
  /** Oldest protocol accepted; TLS 1.2 unless raised to 1.3. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** How often certificate and key files are checked for a change (ms); 0 turns watching off. Default 5000. */
  readonly watchIntervalMs?: number;
}

export function readPem(source: PemSource): string {
  return 'pem' in source ? source.pem : readFileSync(source.file, 'utf8');
}

/** Options for https.createServer / tls.createSecureContext. */
export function secureContextOptions(settings: TlsSettings): {
  cert: string;
  key: string;
  passphrase?: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
} {
  return {
    cert: readPem(settings.cert),
    key: readPem(settings.key),
    ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
    minVersion: settings.minVersion ?? 'TLSv1.2',
  };
}
