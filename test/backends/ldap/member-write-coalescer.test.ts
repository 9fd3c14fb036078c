import { Attribute, Change } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { MemberWriteCoalescer } from '../../../src/backends/ldap/member-write-coalescer.js';

const add = (value: string) =>
  new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [value] }) });
const valuesOf = (changes: Change[]) => changes.flatMap((change) => change.modification.values as string[]);

/** A directory stand-in: each modify stays in flight until the test lets it return. */
function directory() {
  const sent: string[][] = [];
  const inFlight: { finish: (error?: Error) => void }[] = [];
  const send = (changes: Change[]) =>
    new Promise<void>((resolve, reject) => {
      sent.push(valuesOf(changes));
      inFlight.push({ finish: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { sent, inFlight, send, settle };
}

describe('MemberWriteCoalescer', () => {
  it('sends the first change at once and merges those arriving meanwhile into one modify, in order', async () => {
    const coalescer = new MemberWriteCoalescer();
    const dir = directory();
    const first = coalescer.apply('cn=g', [add('a')], dir.send);
    expect(dir.sent).toEqual([['a']]);
    const later = ['b', 'c', 'd'].map((value) => coalescer.apply('cn=g', [add(value)], dir.send));
    await dir.settle();
    expect(dir.sent).toEqual([['a']]);
    dir.inFlight[0]?.finish();
    await first;
    await dir.settle();
    expect(dir.sent).toEqual([['a'], ['b', 'c', 'd']]);
    dir.inFlight[1]?.finish();
    await Promise.all(later);
    // Nothing in flight any more: the next change goes out at once, alone.
    void coalescer.apply('cn=g', [add('e')], dir.send);
    expect(dir.sent).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  });

  it('keeps different entries apart', async () => {
    const coalescer = new MemberWriteCoalescer();
    const dir = directory();
    void coalescer.apply('cn=g1', [add('a')], dir.send);
    void coalescer.apply('cn=g2', [add('b')], dir.send);
    expect(dir.sent).toEqual([['a'], ['b']]);
  });

  it('when the merged modify fails, sends each request alone so each gets its own answer', async () => {
    const coalescer = new MemberWriteCoalescer();
    const dir = directory();
    const first = coalescer.apply('cn=g', [add('a')], dir.send);
    const good = coalescer.apply('cn=g', [add('b')], dir.send);
    const bad = coalescer.apply('cn=g', [add('bad')], dir.send);
    dir.inFlight[0]?.finish();
    await first;
    await dir.settle();
    expect(dir.sent[1]).toEqual(['b', 'bad']);
    dir.inFlight[1]?.finish(new Error('constraint violation'));
    await dir.settle();
    expect(dir.sent[2]).toEqual(['b']);
    dir.inFlight[2]?.finish();
    await dir.settle();
    expect(dir.sent[3]).toEqual(['bad']);
    dir.inFlight[3]?.finish(new Error('constraint violation'));
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('constraint violation');
  });

  it('a failing first modify fails only its own request', async () => {
    const coalescer = new MemberWriteCoalescer();
    const dir = directory();
    const first = coalescer.apply('cn=g', [add('a')], dir.send);
    const second = coalescer.apply('cn=g', [add('b')], dir.send);
    dir.inFlight[0]?.finish(new Error('busy'));
    await expect(first).rejects.toThrow('busy');
    await dir.settle();
    expect(dir.sent[1]).toEqual(['b']);
    dir.inFlight[1]?.finish();
    await expect(second).resolves.toBeUndefined();
  });
});
