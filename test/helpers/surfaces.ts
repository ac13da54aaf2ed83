import { readFileSync } from 'node:fs';
import type { AdmissionReviewResponse, ProviderItem, ProviderResponse, RatifyResult } from '../../shared/admission/index.js';
import type { Clock } from '../../shared/core/index.js';
import type { Verdict } from '../../shared/verdict/index.js';
import { runCli } from '../../cli/run.js';
import { loadReview, withImages } from '../unit/admission/reviews.js';

/**
 * Asks one image's decision of every surface an operator exposes, each reached the way its client reaches it:
 * REST (POST /api/v1/verify on the local host), the CLI (`trustgate verify`, exit code), the validating and mutating
 * webhooks (a kubectl-made Deployment review) and the Gatekeeper verify and mutation providers. Configuration is only the given settings.
 */
export interface SurfaceAnswers {
  rest: Verdict;
  cli: { code: number; stdout: string };
  validate: AdmissionReviewResponse['response'];
  mutate: AdmissionReviewResponse['response'];
  /** The provider's item for the image: a value (allow/deny), or an error (inconclusive: Gatekeeper's failure policy decides). */
  gatekeeperItem: ProviderItem;
  /** The item's value (a Ratify-shaped result); undefined when the item is an error. */
  gatekeeper: RatifyResult;
  /** The Gatekeeper mutation provider's item: the pinned reference as value when allowed, an error otherwise. */
  gatekeeperMutate: ProviderItem;
}

export interface SurfaceTarget {
  /** Base URL of the local host serving every function. */
  url: string;
  /** The admission path key (TRUSTGATE_ADMISSION_KEY). */
  key: string;
  /** The settings the services were built from (the CLI reads the same ones). */
  env: Record<string, string>;
  clock: Clock;
}

export async function askEverySurface(target: SurfaceTarget, image: string): Promise<SurfaceAnswers> {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${target.url}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const review = withImages(loadReview('deployment'), () => image);
  const rest = await post<{ results: Verdict[] }>('v1/verify', { subjects: [image] });
  const validate = await post<AdmissionReviewResponse>(`v1/admission/validate/${target.key}?timeout=10s`, review);
  const mutate = await post<AdmissionReviewResponse>(`v1/admission/mutate/${target.key}?timeout=10s`, review);
  const provider = await post<ProviderResponse>(`v1/gatekeeper/verify/${target.key}`, { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: [image] } });
  const mutation = await post<ProviderResponse>(`v1/gatekeeper/mutate/${target.key}`, { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: [image] } });
  const item = provider.response.items[0];
  const pinned = mutation.response.items[0];
  if (!item || item.key !== image || !pinned || pinned.key !== image) throw new Error(`gatekeeper: no item for ${image}: ${JSON.stringify([provider, mutation])}`);
  const cli = await cliVerify(target, image);
  return { rest: rest.results[0] as Verdict, cli, validate: validate.response, mutate: mutate.response, gatekeeperItem: item, gatekeeper: item.value as RatifyResult, gatekeeperMutate: pinned };
}

/** `trustgate verify <image> --output json` with the operator's settings as environment; exit code and output. */
export async function cliVerify(target: Pick<SurfaceTarget, 'env' | 'clock'>, image: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(['verify', image, '--output', 'json'], { stdout: (t) => void (stdout += t), stderr: () => undefined, env: target.env, overrides: { clock: target.clock } });
  return { code, stdout };
}

/** The JSON patch values the mutating webhook answered (every image it pinned). */
export function patchedImages(response: AdmissionReviewResponse['response']): string[] {
  if (!response.patch) return [];
  return (JSON.parse(Buffer.from(response.patch, 'base64').toString()) as Array<{ value: unknown }>).map((op) => String(op.value));
}

/** An ACR ImagePushed event (Event Grid schema, from the fixtures) for a manifest in a local registry. */
export function imagePushedEvent(target: { host: string; repository: string; digest: string; tag?: string }): unknown {
  const parsed = JSON.parse(readFileSync(new URL('../fixtures/events/eventgrid/image-pushed-digest.json', import.meta.url), 'utf8')) as unknown;
  const event = structuredClone(Array.isArray(parsed) ? parsed[0] : parsed) as { id: string; data: { target: Record<string, unknown>; request: { host: string } } };
  event.id = `push-${target.digest}-${Math.random()}`;
  event.data.request.host = target.host;
  const { tag: _, ...fixtureTarget } = event.data.target;
  event.data.target = { ...fixtureTarget, repository: target.repository, digest: target.digest, ...(target.tag ? { tag: target.tag } : {}) };
  return event;
}

/** Delivers Event Grid events to the acrEvents function on the local host. */
export async function deliverEvents(url: string, events: unknown[]): Promise<number> {
  const response = await fetch(`${url}/runtime/webhooks/eventgrid?functionName=acrEvents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
    body: JSON.stringify(events),
  });
  return response.status;
}
