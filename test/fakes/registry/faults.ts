/**
 * Fault injection knobs of the fake registry. Tests mutate `registry.faults` between requests; `match`
 * is tested against `METHOD path?query` (e.g. `GET /v2/app/manifests/v1`), absent = every registry request.
 */
export interface FakeFaults {
  /** Answer the next `count` matching requests with `status` (e.g. 500, or 429 with a Retry-After header). */
  failures: Array<{ status: number; count: number; match?: RegExp; headers?: Record<string, string>; body?: string }>;
  /** Wait before sending headers. */
  delay: { ms: number; match?: RegExp } | undefined;
  /** Send headers and half the body, then never finish. */
  stallBody: { match?: RegExp } | undefined;
  /** Declare the full Content-Length, send half the body, then drop the connection. */
  truncateBody: { match?: RegExp } | undefined;
  /** Stream a body without end (no Content-Length) for matching GETs: oversized manifests and blobs. */
  endlessBody: { match?: RegExp } | undefined;
  /** Serve these bytes instead of the stored content for GETs of this digest (wrong digest / size). */
  replaceContent: Map<string, Buffer>;
  /** HEAD of manifests omits Docker-Content-Digest (clients must GET). */
  omitDigestHeader: boolean;
  /** Blob GETs redirect (307) to the storage server on another origin. */
  redirectBlobs: boolean;
  referrers: {
    /** 'on': OCI 1.1 API; 'not-found': 404 (no API); 'non-index': 200 text/html; 'malformed-json': an index content type with broken JSON. */
    api: 'on' | 'not-found' | 'non-index' | 'malformed-json';
    /** Descriptors per page. */
    pageSize: number;
    /** Filter by artifactType server-side and say so with OCI-Filters-Applied. */
    filter: boolean;
    /** Every page links to a next one. */
    endless: boolean;
    /** Make the first page's Link point to this absolute URL. */
    linkOverride?: string;
  };
}

export function defaultFaults(): FakeFaults {
  return {
    failures: [],
    delay: undefined,
    stallBody: undefined,
    truncateBody: undefined,
    endlessBody: undefined,
    replaceContent: new Map(),
    omitDigestHeader: false,
    redirectBlobs: false,
    referrers: { api: 'on', pageSize: 100, filter: true, endless: false },
  };
}

export function matches(rule: { match?: RegExp } | undefined, line: string): boolean {
  return rule !== undefined && (rule.match === undefined || rule.match.test(line));
}

/** Takes one use of the first matching failure rule. */
export function takeFailure(faults: FakeFaults, line: string): FakeFaults['failures'][number] | undefined {
  const rule = faults.failures.find((f) => f.count > 0 && matches(f, line));
  if (rule) rule.count -= 1;
  return rule;
}
