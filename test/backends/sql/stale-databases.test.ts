import { describe, expect, it } from 'vitest';
import { staleDatabases } from '../../support/stale-databases.js';

describe('staleDatabases (test-database sweeping)', () => {
  it('picks only timestamped test databases older than three hours', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    const at = (hoursAgo: number) => Math.floor(now / 1000 - hoursAgo * 3600);
    expect(
      staleDatabases(
        [
          `crosswalk_test_${at(4)}_1a2b3c4d`,
          `crosswalk_test_${at(1)}_1a2b3c4d`,
          'crosswalk_test_545278e2d682',
          'crosswalk',
          `other_${at(9)}_1a2b3c4d`,
        ],
        now,
      ),
    ).toEqual([`crosswalk_test_${at(4)}_1a2b3c4d`]);
  });
});
