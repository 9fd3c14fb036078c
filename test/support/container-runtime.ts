import { existsSync } from 'node:fs';

/**
 * Whether a Docker (or Podman) engine answers, decided quickly: no socket and
 * no DOCKER_HOST → no; otherwise testcontainers' own probe, given a few
 * seconds. The reason is printed by the suites that skip.
 */
export async function containerRuntime(): Promise<{ readonly available: boolean; readonly reason: string }> {
  const socket = ['/var/run/docker.sock', `${process.env.XDG_RUNTIME_DIR ?? ''}/podman/podman.sock`].find(
    (path) => path !== '/podman/podman.sock' && existsSync(path),
  );
  if (process.env.DOCKER_HOST === undefined && socket === undefined) {
    return { available: false, reason: 'no Docker engine: no /var/run/docker.sock and DOCKER_HOST is unset' };
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { available: true, reason: '' };
  } catch (err) {
    return { available: false, reason: `no Docker engine answers (${(err as Error).message})` };
  }
}
