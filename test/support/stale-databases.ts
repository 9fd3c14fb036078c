/** Test databases older than this were left by a crashed run (no test file runs this long). */
const STALE_AFTER_SECONDS = 3 * 60 * 60;

/**
 * Names of `crosswalk_test_<epoch seconds>_<random>` databases created more
 * than three hours ago: a run that crashed before its afterAll left them.
 * Names without a timestamp are left alone.
 */
export function staleDatabases(names: readonly string[], now = Date.now()): string[] {
  return names.filter((name) => {
    const created = /^crosswalk_test_(\d{10})_[0-9a-f]+$/.exec(name)?.[1];
    return created !== undefined && now / 1000 - Number(created) > STALE_AFTER_SECONDS;
  });
}
