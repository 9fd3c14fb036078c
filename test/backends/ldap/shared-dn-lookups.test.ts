import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { normalizeDn } from '../../../src/backends/ldap/dn-text.js';
import type { DnIndex, ReferenceTarget } from '../../../src/backends/ldap/entry-codec.js';
import { type LookupDns, SharedDnLookups } from '../../../src/backends/ldap/shared-dn-lookups.js';
import { isScimError } from '../../../src/scim/errors.js';

const BIG = 'cn=big,ou=groups,dc=example,dc=test';
const SMALL = 'cn=small,ou=groups,dc=example,dc=test';
const OTHER = 'cn=other,ou=groups,dc=example,dc=test';
const GONE = 'cn=gone,ou=groups,dc=example,dc=test';
const IDS = new Map([
  [BIG, 'id-big'],
  [SMALL, 'id-small'],
  [OTHER, 'id-other'],
]);

/** A directory stand-in: each lookup stays in flight until the test finishes or fails it. */
function directory() {
  const sent: string[][] = [];
  const inFlight: { finish: () => void; fail: (error: Error) => void }[] = [];
  const lookup: LookupDns = (wanted) =>
    new Promise<DnIndex>((resolve, reject) => {
      sent.push([...wanted.values()]);
      const found = new Map<string, ReferenceTarget>();
      for (const [key, dn] of wanted) {
        const id = IDS.get(key);
        if (id !== undefined) found.set(key, { id, type: 'Group', dn });
      }
      inFlight.push({ finish: () => resolve(found), fail: reject });
    });
  return { sent, inFlight, lookup };
}

const idsOf = (index: DnIndex) =>
  Object.fromEntries([...index].map(([key, target]) => [key, target.id] as const));

describe('SharedDnLookups', () => {
  it('reads that began before a lookup was sent share it: one lookup', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const firstStarted = performance.now();
    const secondStarted = performance.now();
    const first = lookups.resolve([BIG, SMALL], firstStarted, dir.lookup);
    const second = lookups.resolve([BIG], secondStarted, dir.lookup);
    expect(dir.sent).toEqual([[BIG, SMALL]]);
    dir.inFlight[0]?.finish();
    expect(idsOf(await first)).toEqual({ [BIG]: 'id-big', [SMALL]: 'id-small' });
    expect(idsOf(await second)).toEqual({ [BIG]: 'id-big' });
  });

  it('a read that began after a lookup was sent does not join it: it sends its own', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const early = performance.now();
    const first = lookups.resolve([BIG], early, dir.lookup);
    await sleep(2);
    const late = performance.now();
    const second = lookups.resolve([BIG], late, dir.lookup);
    expect(dir.sent).toEqual([[BIG], [BIG]]);
    // The older lookup settling leaves the newer one joinable.
    dir.inFlight[0]?.finish();
    await first;
    const third = lookups.resolve([BIG], late, dir.lookup);
    expect(dir.sent).toHaveLength(2);
    dir.inFlight[1]?.finish();
    expect(idsOf(await second)).toEqual({ [BIG]: 'id-big' });
    expect(idsOf(await third)).toEqual({ [BIG]: 'id-big' });
  });

  it('forgets a lookup once it settles: a later read sends a new one', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const started = performance.now();
    const first = lookups.resolve([BIG], started, dir.lookup);
    dir.inFlight[0]?.finish();
    await first;
    const second = lookups.resolve([BIG], started, dir.lookup);
    expect(dir.sent).toEqual([[BIG], [BIG]]);
    dir.inFlight[1]?.finish();
    expect(idsOf(await second)).toEqual({ [BIG]: 'id-big' });
  });

  it('a failed lookup fails every read that joined it with one ScimError, and is not retried', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const started = performance.now();
    const leader = lookups.resolve([BIG], started, dir.lookup);
    const joiners = [
      lookups.resolve([BIG], started, dir.lookup),
      lookups.resolve([BIG], started, dir.lookup),
    ];
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    dir.inFlight[0]?.fail(lost);
    // The leader gets the raw error: its own connection failed, and the store maps (and may retry) it.
    await expect(leader).rejects.toBe(lost);
    const errors = await Promise.all(joiners.map((joiner) => joiner.catch((error: unknown) => error)));
    expect(errors[0]).toBe(errors[1]);
    expect(isScimError(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ status: 503 });
    expect(dir.sent).toHaveLength(1);
  });

  it('sends only the DNs that are not in flight, and answers with both', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const started = performance.now();
    const first = lookups.resolve([BIG, SMALL], started, dir.lookup);
    const second = lookups.resolve([SMALL, OTHER, GONE], started, dir.lookup);
    expect(dir.sent).toEqual([
      [BIG, SMALL],
      [OTHER, GONE],
    ]);
    dir.inFlight[1]?.finish();
    dir.inFlight[0]?.finish();
    await first;
    // Not found (GONE) stays absent, as without sharing.
    expect(idsOf(await second)).toEqual({ [SMALL]: 'id-small', [OTHER]: 'id-other' });
  });

  it('a read whose own lookup fails waits for the lookups it joined before failing', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const started = performance.now();
    const first = lookups.resolve([BIG], started, dir.lookup);
    let secondDone = false;
    const second = lookups.resolve([BIG, SMALL], started, dir.lookup).finally(() => {
      secondDone = true;
    });
    const busy = new Error('own lookup failed');
    dir.inFlight[1]?.fail(busy);
    await sleep(1);
    expect(secondDone).toBe(false);
    dir.inFlight[0]?.finish();
    await first;
    await expect(second).rejects.toBe(busy);
  });

  it('spellings of one DN (case, spaces) share one key and one lookup', async () => {
    const lookups = new SharedDnLookups();
    const dir = directory();
    const started = performance.now();
    const upper = 'CN=Big, OU=Groups, DC=Example, DC=Test';
    const first = lookups.resolve([upper, BIG], started, dir.lookup);
    const second = lookups.resolve(['cn=BIG,ou=groups,dc=example,dc=test'], started, dir.lookup);
    expect(dir.sent).toEqual([[upper]]);
    dir.inFlight[0]?.finish();
    expect(idsOf(await first)).toEqual({ [normalizeDn(upper)]: 'id-big' });
    expect(idsOf(await second)).toEqual({ [BIG]: 'id-big' });
  });
});
