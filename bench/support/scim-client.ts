/** Small helpers for talking SCIM to the gateway under test outside the measured runs. */
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export function usersPath(query: Record<string, string | number>): string {
  const search = Object.entries(query)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `/scim/v2/Users${search === '' ? '' : `?${search}`}`;
}

export function addMemberBody(memberId: string): string {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'add', path: 'members', value: [{ value: memberId }] }],
  });
}

/**
 * One request before a measured run: it must succeed, so a run never
 * measures how fast the gateway answers errors.
 */
export async function expectOk(
  origin: string,
  path: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
): Promise<unknown> {
  const response = await fetch(`${origin}${path}`, init);
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * Follows RFC 9865 cursors from the first page for `rows` rows (pages of
 * `pageSize`) and returns the cursor that continues there.
 */
export async function cursorAfter(
  origin: string,
  headers: Record<string, string>,
  rows: number,
  pageSize: number,
  base = '/scim/v2/Users',
): Promise<string> {
  let cursor = '';
  const separator = base.includes('?') ? '&' : '?';
  for (let seen = 0; seen < rows; ) {
    const count = Math.min(pageSize, rows - seen);
    const page = (await expectOk(
      origin,
      `${base}${separator}cursor=${encodeURIComponent(cursor)}&count=${count}&attributes=id`,
      { headers },
    )) as { nextCursor?: string };
    seen += count;
    if (typeof page.nextCursor !== 'string') throw new Error(`no nextCursor after ${seen} rows`);
    cursor = page.nextCursor;
  }
  return cursor;
}
