/**
 * The mapping's SQL Server connection block as tedious wants it. Values from
 * `${env:…}` are text; tedious insists on a number for `port` and booleans
 * for the TLS switches, so those are converted (anything else unchanged).
 */
export function mssqlConnection(connection: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...connection };
  if (typeof result.port === 'string' && /^\d+$/.test(result.port.trim())) {
    result.port = Number(result.port.trim());
  }
  const options = result.options;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    const converted: Record<string, unknown> = { ...options };
    for (const [key, value] of Object.entries(converted)) {
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        converted[key] = value.trim().toLowerCase() === 'true';
      }
    }
    result.options = converted;
  }
  return result;
}
