export * from './constants.js';
export type { Descriptor, ImageIndex, ImageManifest, Platform, RepositoryRef } from './types.js';
