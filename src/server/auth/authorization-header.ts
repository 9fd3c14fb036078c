/** What an Authorization header presents; undefined when it is missing or of another scheme. */
export type PresentedCredential =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

export function parseAuthorizationHeader(header: string | undefined): PresentedCredential | undefined {
  if (header === undefined) return undefined;
  const bearer = BEARER.exec(header);
  if (bearer?.[1] !== undefined) return { scheme: 'bearer', token: bearer[1] };
  const basic = BASIC.exec(header);
  if (basic?.[1] !== undefined) {
    // RFC 7617: user-id and password joined by the first colon, UTF-8.
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}
