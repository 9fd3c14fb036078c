import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../../src/server/observability/series-metrics.js';

const BUCKETS = [0.005, 0.01, 0.1, 1, 10];
const labelNames = ['tenant', 'route'] as const;
const observation = fc.record({
  tenant: fc.constantFrom('default', 'acme', 'a"b\\c'),
  route: fc.constantFrom('/scim/v2/Users', '/scim/v2/Users/:id'),
  value: fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(...BUCKETS)),
});

/** The same observations through prom-client's own metrics and ours, in two registries. */
async function bothTexts(observations: { tenant: string; route: string; value: number }[]) {
  const theirs = new Registry();
  const ours = new Registry();
  const counter = new Counter({ name: 'c_total', help: 'h', labelNames, registers: [theirs] });
  const histogram = new Histogram({
    name: 'h_seconds',
    help: 'h',
    labelNames,
    buckets: BUCKETS,
    registers: [theirs],
  });
  const seriesCounter = new SeriesCounter({ name: 'c_total', help: 'h', labelNames, registers: [ours] });
  const seriesHistogram = new SeriesHistogram({
    name: 'h_seconds',
    help: 'h',
    labelNames,
    buckets: BUCKETS,
    registers: [ours],
  });
  for (const { tenant, route, value } of observations) {
    counter.inc({ tenant, route }, 2);
    histogram.observe({ tenant, route }, value);
    seriesCounter.of({ tenant, route }).inc(2);
    seriesHistogram.of({ route, tenant }).observe(value);
  }
  return { theirs: await theirs.metrics(), ours: await ours.metrics() };
}

describe('series metrics', () => {
  it('write exactly the text prom-client writes for the same observations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 40 }), async (observations) => {
        const { theirs, ours } = await bothTexts(observations);
        expect(ours).toBe(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('hand out one series per label set, and refuse a missing label', () => {
    const registry = new Registry();
    const histogram = new SeriesHistogram({
      name: 'x_seconds',
      help: 'h',
      labelNames,
      buckets: BUCKETS,
      registers: [registry],
    });
    expect(histogram.of({ tenant: 'a', route: '/r' })).toBe(histogram.of({ route: '/r', tenant: 'a' }));
    expect(histogram.of({ tenant: 'a', route: '/r' })).not.toBe(histogram.of({ tenant: 'b', route: '/r' }));
    expect(() => histogram.of({ tenant: 'a' })).toThrow(/label 'route' missing/);
  });

  it('start again from zero when the registry is reset, and a series held before still counts', async () => {
    const registry = new Registry();
    const counter = new SeriesCounter({ name: 'r_total', help: 'h', labelNames, registers: [registry] });
    const histogram = new SeriesHistogram({
      name: 'r_seconds',
      help: 'h',
      labelNames,
      buckets: BUCKETS,
      registers: [registry],
    });
    const held = counter.of({ tenant: 'a', route: '/r' });
    held.inc(5);
    histogram.of({ tenant: 'a', route: '/r' }).observe(0.5);
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('r_total{tenant="a",route="/r"} 0');
    expect(await registry.metrics()).toContain('r_seconds_count{tenant="a",route="/r"} 0');
    held.inc();
    expect(await registry.metrics()).toContain('r_total{tenant="a",route="/r"} 1');
  });
});
