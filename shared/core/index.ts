export { AppError, isAppError, toAppError } from './errors.js';
export type { ErrorKind, AppErrorOptions } from './errors.js';
export { systemClock, fixedClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { defaultFetch, readBodyLimited, discardBody, timeoutSignal, isAbortError, BodyReadError } from './fetch.js';
export type { FetchLike, BodySource } from './fetch.js';
export { silentLogger, jsonLogger, memoryLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { SingleFlight } from './singleflight.js';
