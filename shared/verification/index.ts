export { DefaultVerificationService } from './service.js';
export type { VerificationServiceOptions } from './service.js';
export type { Verdict, Decision, Reason, VerdictSubject, VerdictPolicy, EvidenceOutcome, EvidenceCheck, EvidenceSigner, VerifyOptions, VerificationService } from './verdict.js';
export type { RegistryReader, SignatureChecker, SignatureCheckInput } from './ports.js';
export { REASON } from './codes.js';
export { PushHandler, PushHandlingError } from './on-push.js';
export type { PushHandlerOptions, PushOutcome } from './on-push.js';
export { RecheckService } from './recheck.js';
export type { RecheckOptions, RecheckReport } from './recheck.js';
