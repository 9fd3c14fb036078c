/** Label values of one prom-client observation; the same object is passed for every observation of a kind. */
export type LabelSet = Readonly<Record<string, string>>;

/** Where a batch goes: prom-client's `observe` or `inc` of one metric. */
export type Sink = (labels: LabelSet, value: number) => void;

/** Observations held at most before they are handed on: small, so a batch stays in cache. */
const CAPACITY = 256;

/**
 * Metric observations recorded on the request path and handed to prom-client
 * in batches: recording is two array stores, and prom-client's per-call work
 * (label validation, the label hash, the bucket search) runs in a tight loop
 * instead of once per request between everything else a request does.
 * `flush()` runs before every scrape (the metrics' `collect`), so a scrape
 * sees every observation made before it.
 */
export class BatchedObservations {
  private readonly sinks: Sink[] = new Array(CAPACITY);
  private readonly labels: LabelSet[] = new Array(CAPACITY);
  private readonly values = new Float64Array(CAPACITY);
  private length = 0;

  record(sink: Sink, labels: LabelSet, value: number): void {
    const at = this.length;
    this.sinks[at] = sink;
    this.labels[at] = labels;
    this.values[at] = value;
    this.length = at + 1;
    if (this.length === CAPACITY) this.flush();
  }

  flush(): void {
    const length = this.length;
    // Emptied first: a sink that throws must not make the next flush repeat the batch.
    this.length = 0;
    for (let i = 0; i < length; i += 1) {
      (this.sinks[i] as Sink)(this.labels[i] as LabelSet, this.values[i] as number);
    }
  }
}
