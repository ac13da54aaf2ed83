export { DefaultVerificationService } from './service.js';
export type { VerificationServiceOptions } from './service.js';
export type { Verdict, Decision, Reason, VerdictSubject, VerifyOptions, VerificationService } from './verdict.js';
export type { RegistryReader, SignatureChecker, SignatureCheckInput } from './ports.js';
export { REASON } from './codes.js';
