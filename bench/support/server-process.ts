import { type ChildProcess, spawn } from 'node:child_process';
import { compiledScript } from './compiled-build.js';

export interface ServerProcess {
  readonly pid: number;
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * Starts an HTTP server of bench/ in its own process, compiled and run with
 * plain node (compiled-build.ts), and waits for its `LISTENING <port>` line.
 * The server under test thus has an event loop and a resident set of its
 * own, which is what RSS reports measure. `nodeOptions` go before the script
 * (`--cpu-prof`).
 */
export async function startServerProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  nodeOptions: readonly string[] = [],
): Promise<ServerProcess> {
  const compiled = await compiledScript(script);
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, compiled], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /LISTENING (\d+)/.exec(buffered);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        // From here on the output is drained unread: the benchmark must not pay for it.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} has no pid`);
  return {
    pid,
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
