/** Structured logging port: one line per event, fields never contain secrets. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { log: () => undefined };

/** JSON lines on stderr (stdout is reserved for CLI/bench output). */
export function jsonLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, event, fields) {
      if (order[level] < order[minLevel]) return;
      write(JSON.stringify({ level, event, ...fields }));
    },
  };
}

/** A logger that keeps entries in memory (tests assert on them). */
export function memoryLogger(): Logger & { entries: Array<{ level: LogLevel; event: string; fields: Record<string, unknown> }> } {
  const entries: Array<{ level: LogLevel; event: string; fields: Record<string, unknown> }> = [];
  return { entries, log: (level, event, fields = {}) => void entries.push({ level, event, fields }) };
}
