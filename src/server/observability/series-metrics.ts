import type { Registry } from 'prom-client';

/** Label values of one series, by label name. */
export type LabelSet = Readonly<Record<string, string>>;

/** One label set of a counter: what the request path holds on to and increments. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: LabelSet) {}

  inc(amount = 1): void {
    this.value += amount;
  }
}

/** One label set of a histogram: counts per bucket (the last is +Inf), their sum and number. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: LabelSet,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket += 1;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registers: readonly Registry[];
}

/** A sample as prom-client's registry formats it. */
interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/**
 * A counter or histogram of the request path, exposed through a prom-client
 * registry (its `get()` answers in prom-client's format, so the registry
 * writes it out like its own metrics).
 *
 * The difference is on the request path: a caller resolves a label set to
 * its series once and keeps it, and observing is then a few additions.
 * prom-client checks the label names and builds a hash string of the label
 * values on every observation — a few µs per request for the three metrics
 * every request records.
 */
abstract class SeriesMetric<Series extends { readonly labels: LabelSet }> {
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly string[];
  private readonly series = new Map<string, Series>();

  constructor(options: MetricOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  protected abstract create(labels: LabelSet): Series;
  protected abstract samples(series: Series): Sample[];

  /** The series of `labels` (every label name given), made on first use. Keep it: looking it up builds a key. */
  of(labels: LabelSet): Series {
    const missing = this.labelNames.find((name) => labels[name] === undefined);
    if (missing !== undefined) throw new Error(`Metric ${this.name}: label '${missing}' missing`);
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let found = this.series.get(key);
    if (found === undefined) {
      // Only the declared labels, in declaration order: extra keys would otherwise reach the output.
      found = this.create(Object.fromEntries(this.labelNames.map((name) => [name, labels[name] as string])));
      this.series.set(key, found);
    }
    return found;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values = [...this.series.values()].flatMap((series) => this.samples(series));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Back to zero. The series stay: callers hold them, and what they record after a reset must count. */
  reset(): void {
    for (const series of this.series.values()) this.clear(series);
  }

  protected abstract clear(series: Series): void;
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  readonly type = 'counter';

  protected create(labels: LabelSet): CounterSeries {
    return new CounterSeries(labels);
  }

  protected samples(series: CounterSeries): Sample[] {
    return [{ labels: { ...series.labels }, value: series.value }];
  }

  protected clear(series: CounterSeries): void {
    series.value = 0;
  }
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  constructor(options: MetricOptions & { readonly buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected create(labels: LabelSet): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }

  /** Cumulative buckets with `le` first, then `_sum` and `_count`, as prom-client writes its own. */
  protected samples(series: HistogramSeries): Sample[] {
    const samples: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, index) => {
      cumulative += series.counts[index] as number;
      samples.push({
        labels: { le: bound, ...series.labels },
        value: cumulative,
        metricName: `${this.name}_bucket`,
      });
    });
    cumulative += series.counts[this.bounds.length] as number;
    samples.push({
      labels: { le: '+Inf', ...series.labels },
      value: cumulative,
      metricName: `${this.name}_bucket`,
    });
    samples.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` });
    samples.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` });
    return samples;
  }

  protected clear(series: HistogramSeries): void {
    series.counts.fill(0);
    series.sum = 0;
    series.count = 0;
  }
}
