import { fileURLToPath } from 'node:url';

/** Absolute path of a file under test/mapping/fixtures/. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}
