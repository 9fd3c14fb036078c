import { describe, expect, it } from 'vitest';
import { BatchedObservations, type LabelSet } from '../../src/server/observability/batched-observations.js';

describe('BatchedObservations', () => {
  const labels: LabelSet = { route: '/Users' };

  it('holds observations until flushed, then hands each over once, in order', () => {
    const batch = new BatchedObservations();
    const seen: number[] = [];
    const sink = (_labels: LabelSet, value: number) => seen.push(value);
    batch.record(sink, labels, 1);
    batch.record(sink, labels, 2);
    expect(seen).toEqual([]);
    batch.flush();
    expect(seen).toEqual([1, 2]);
    batch.flush();
    expect(seen).toEqual([1, 2]);
  });

  it('hands a full batch over by itself, so nothing waits unbounded for a scrape', () => {
    const batch = new BatchedObservations();
    let handed = 0;
    const sink = () => {
      handed += 1;
    };
    for (let i = 0; i < 256; i += 1) batch.record(sink, labels, i);
    expect(handed).toBe(256);
    batch.record(sink, labels, 0);
    expect(handed).toBe(256);
  });

  it('keeps each observation with its own sink and labels', () => {
    const batch = new BatchedObservations();
    const got: string[] = [];
    const a = (set: LabelSet, value: number) => got.push(`a:${set.route}:${value}`);
    const b = (set: LabelSet, value: number) => got.push(`b:${set.route}:${value}`);
    batch.record(a, { route: '/Users' }, 0.5);
    batch.record(b, { route: '/Groups' }, 3);
    batch.flush();
    expect(got).toEqual(['a:/Users:0.5', 'b:/Groups:3']);
  });

  it('does not hand a batch over twice when a sink throws', () => {
    const batch = new BatchedObservations();
    let calls = 0;
    const failing = () => {
      calls += 1;
      throw new Error('sink failed');
    };
    batch.record(failing, labels, 1);
    expect(() => batch.flush()).toThrow('sink failed');
    batch.flush();
    expect(calls).toBe(1);
  });
});
