import { Writable } from 'node:stream';

/** One parsed pino line. */
export type LogLine = Record<string, unknown>;

/** A stream to hand Fastify's logger (`logger: { level, stream }`) that keeps every JSON line it is given. */
export class LogCapture extends Writable {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  private pending = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.pending += String(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      const text = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      if (text.trim() !== '') {
        this.raw.push(text);
        this.lines.push(JSON.parse(text) as LogLine);
      }
      newline = this.pending.indexOf('\n');
    }
    callback();
  }

  /** Lines whose fields include all of `fields`. */
  matching(fields: LogLine): LogLine[] {
    return this.lines.filter((line) =>
      Object.entries(fields).every(([key, value]) => JSON.stringify(line[key]) === JSON.stringify(value)),
    );
  }

  /** Everything written so far, as one string (for "this secret appears nowhere" checks). */
  text(): string {
    return this.raw.join('\n');
  }
}
