import type { FastifyInstance } from 'fastify';

export interface GracefulShutdownOptions {
  /** Work after the server has closed: reloader, stores. */
  readonly cleanup: () => Promise<void>;
  /**
   * How long in-flight requests may take before the process gives up and
   * exits 1. Default 25 s: under Kubernetes' default 30 s grace period, so
   * the pod ends on its own terms rather than by SIGKILL.
   */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** Default process.exit; tests may observe instead. */
  readonly exit?: (code: number) => void;
}

/**
 * SIGTERM / SIGINT → stop accepting connections, let the requests in flight
 * finish (Fastify's close: new requests on kept-alive connections get 503
 * with `Connection: close`; connections are closed as soon as they are idle), run `cleanup`
 * (close pools), exit 0. A second signal, or the timeout, exits 1 at once.
 */
export function installGracefulShutdown(app: FastifyInstance, options: GracefulShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 25_000;
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    app.log.info({ signal, timeoutMs }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs }, 'requests still running at the shutdown deadline: exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    // Keep-alive connections whose last response went out while closing would hold the server open:
    // close each one as soon as it is idle.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
    sweeper.unref();
    app
      .close()
      .finally(() => clearInterval(sweeper))
      .then(() => options.cleanup())
      .then(
        () => {
          clearTimeout(timer);
          app.log.info('shutdown complete');
          exit(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          app.log.error(
            { reason: error instanceof Error ? error.message : String(error) },
            'shutdown failed',
          );
          exit(1);
        },
      );
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
}
