import { readFile } from 'node:fs/promises';

/** Resident set size of a process in MiB, from /proc (Linux), or undefined when it cannot be read. */
export async function residentMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the peak and the mean. */
export function sampleRss(
  pid: number,
  everyMs = 250,
): { stop(): Promise<{ peakMiB: number; meanMiB: number }> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const value = await residentMiB(pid);
      if (value !== undefined) samples.push(value);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const peakMiB = samples.length === 0 ? 0 : Math.max(...samples);
      const meanMiB = samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length;
      return { peakMiB, meanMiB };
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
  } catch {
    return undefined;
  }
}
