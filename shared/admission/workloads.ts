/**
 * Where each workload kind keeps its PodSpec, and the container images in it.
 * Kinds are matched by API group + kind (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/).
 */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** One `image` field in the object: where it is (RFC 6901 pointer, for JSON Patch) and what it says. */
export interface ImageSite {
  pointer: string;
  container: string;
  image: string;
}

export type Extraction =
  | { kind: 'workload'; sites: ImageSite[] }
  | { kind: 'unsupported'; kindName: string }
  | { kind: 'invalid'; problem: string };

/** Finds every container image of a supported workload object; never throws on odd shapes. */
export function extractImages(kind: { group: string; kind: string }, object: unknown): Extraction {
  const path = POD_SPEC_PATHS[`${kind.group}/${kind.kind}`];
  if (!path) return { kind: 'unsupported', kindName: kind.group ? `${kind.group}/${kind.kind}` : kind.kind };
  let node: unknown = object;
  for (const [depth, key] of path.entries()) {
    if (node === undefined || node === null) return { kind: 'workload', sites: [] };
    if (!isRecord(node)) return { kind: 'invalid', problem: `/${path.slice(0, depth).join('/')} is not an object` };
    node = node[key];
  }
  if (node === undefined || node === null) return { kind: 'workload', sites: [] };
  if (!isRecord(node)) return { kind: 'invalid', problem: `/${path.join('/')} is not an object` };
  const sites: ImageSite[] = [];
  for (const field of CONTAINER_FIELDS) {
    const containers = node[field];
    if (containers === undefined || containers === null) continue;
    const base = `/${path.join('/')}/${field}`;
    if (!Array.isArray(containers)) return { kind: 'invalid', problem: `${base} is not an array` };
    for (const [index, container] of containers.entries()) {
      if (!isRecord(container)) return { kind: 'invalid', problem: `${base}/${index} is not an object` };
      const image = container.image;
      // A container without a usable image is not silently skipped: it becomes a site that fails verification.
      sites.push({
        pointer: `${base}/${index}/image`,
        container: typeof container.name === 'string' ? container.name : `${field}[${index}]`,
        image: typeof image === 'string' ? image : '',
      });
    }
  }
  return { kind: 'workload', sites };
}

/** The sites whose image needs a verdict: on UPDATE only images that the old object did not already run. */
export function sitesToVerify(operation: string, current: ImageSite[], oldExtraction: Extraction | undefined): ImageSite[] {
  if (operation !== 'UPDATE' || oldExtraction?.kind !== 'workload') return current;
  const previous = new Set(oldExtraction.sites.map((site) => site.image));
  return current.filter((site) => site.image === '' || !previous.has(site.image));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
