/** What stopOnSignals needs from the process (injected in tests). */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * SIGTERM or SIGINT stops the host once: `stop` drains in-flight work, then the process exits 0. A second signal
 * while draining exits at once (130), as an impatient Ctrl-C should.
 */
export function stopOnSignals(stop: () => Promise<void>, source: SignalSource = process, log: (line: string) => void = () => undefined): void {
  let stopping = false;
  const onSignal = (signal: string) => () => {
    if (stopping) return source.exit(130);
    stopping = true;
    log(`trustgate: ${signal}, stopping (draining in-flight requests)`);
    stop().then(
      () => source.exit(0),
      () => source.exit(1),
    );
    source.once('SIGINT', onSignal('SIGINT'));
    source.once('SIGTERM', onSignal('SIGTERM'));
  };
  source.once('SIGINT', onSignal('SIGINT'));
  source.once('SIGTERM', onSignal('SIGTERM'));
}
