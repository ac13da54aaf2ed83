export { startFakeRegistry } from './server.js';
export type { FakeRegistry, FakeRegistryOptions, RecordedRequest } from './server.js';
export type { FakeFaults } from './faults.js';
export type { FakeAuthMode, TokenRequestLog } from './auth.js';
