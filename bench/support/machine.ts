import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** The machine a run happened on, for the results file. */
export interface MachineDescription {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly loadAverage: string;
  /** Versions of the servers under test (`psql`, `slapd -VV`), as reported by themselves. */
  readonly servers: Readonly<Record<string, string>>;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(servers: Record<string, string>): MachineDescription {
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    servers,
  };
}

/** First non-empty line a command prints on stdout or stderr (`slapd -VV` uses stderr), or `unknown`. */
export function commandVersion(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const line = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text !== '');
  return line ?? 'unknown';
}
