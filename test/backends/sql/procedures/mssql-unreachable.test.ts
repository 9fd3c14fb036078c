import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSqlStore } from '../../../../src/backends/sql/sql-store.js';
import { loadMappingFile } from '../../../../src/mapping/load-mapping.js';
import { isScimError } from '../../../../src/scim/errors.js';
import { SCHEMA_URN } from '../../../../src/scim/schema/core-schemas.js';
import { MSSQL_LEGACY_MAPPING } from '../../../support/mssql-legacy.js';

/** A local port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('SQL Server procedure writes when the server is unreachable', () => {
  it('a create through the mssql driver is 503 with Retry-After, without the password or the SQL', async () => {
    const mapping = await loadMappingFile(MSSQL_LEGACY_MAPPING, {
      MSSQL_PORT: String(await closedPort()),
      MSSQL_USER: 'app',
      MSSQL_PASSWORD: 'secret-password-123',
      MSSQL_DATABASE: 'legacy',
      MSSQL_ENCRYPT: 'false',
    });
    const store = await createSqlStore(mapping);
    try {
      const error = await store
        .create('User', { schemas: [SCHEMA_URN.user], userName: 'bjensen' })
        .catch((err: unknown) => err);
      expect(isScimError(error) ? [error.status, error.retryAfter] : error).toEqual([503, 5]);
      expect(String((error as Error).message)).not.toMatch(/secret-password-123|usp_|bjensen/);
    } finally {
      await store.close();
    }
  });
});
