import { startFakeRegistry } from '../test/fakes/registry/index.js';

/**
 * The attack scenario's hostile registry, in its own process (forked by hostile.ts): a real attacker's registry is
 * remote, so serving its megabytes must not count against trustgate's event loop. Sends what it holds over IPC.
 */
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const hostile = await startFakeRegistry();
const deepManifest = hostile.putManifest('evil/app', Buffer.from(`{"schemaVersion":2,"x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`), { mediaType: OCI_MANIFEST });
const subject = hostile.putManifest('evil/app', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: deepManifest, layers: [] }, { mediaType: OCI_MANIFEST });
hostile.putManifest('evil/app', Buffer.from(`{"schemaVersion":2,"manifests":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`), { mediaType: OCI_INDEX, tag: `sha256-${subject.digest.slice(7)}` });
hostile.faults.referrers.api = 'not-found';
process.send?.({ host: hostile.host, deepManifest, subject });
process.on('disconnect', () => void hostile.stop().then(() => process.exit(0)));
