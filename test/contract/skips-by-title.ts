/**
 * A backend's contract or interop skips as the suites read them
 * (`skips[title]`), from patterns over test titles: some titles carry the
 * run's random prefix.
 */
export function skipsByTitle(skipped: readonly (readonly [RegExp, string])[]): Record<string, string> {
  return new Proxy<Record<string, string>>(
    {},
    {
      get: (_, title) =>
        typeof title === 'string' ? skipped.find(([pattern]) => pattern.test(title))?.[1] : undefined,
    },
  );
}
