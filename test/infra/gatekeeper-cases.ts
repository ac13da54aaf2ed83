import { readFileSync } from 'node:fs';

/**
 * What Gatekeeper's `external_data` builtin hands the Rego (open-policy-agent/frameworks, rego driver builtin):
 * `responses` [[key, value]…] and `errors` [[key, error]…] (null when empty), `status_code` (the provider's HTTP status,
 * 0 when every key came from Gatekeeper's response cache and no request was sent) and `system_error`. When the request
 * fails Gatekeeper returns only status_code and system_error; when the builtin errors the call is undefined.
 */
export type ProviderBehaviour =
  | { mode: 'answer'; answers: Record<string, { value: unknown } | { error: string }>; status_code: number; system_error: string }
  | { mode: 'http_error'; status_code: number; system_error: string }
  | { mode: 'undefined' };

export interface RegoCase {
  input: { review: unknown; parameters: Record<string, never> };
  provider: ProviderBehaviour;
}

/** One expected reason per violation message, so mismatches read well. */
export type Finding = `missing ${string}` | `failed ${string}` | `item-error ${string}` | 'system-error' | `http ${number}`;

export function classify(message: string): Finding {
  const patterns: Array<[RegExp, (m: RegExpMatchArray) => Finding]> = [
    [/^trustgate: no verification result for image (\S+)$/, (m) => `missing ${m[1] ?? ''}`],
    [/^trustgate: image (\S+) failed verification: /, (m) => `failed ${m[1] ?? ''}`],
    [/^trustgate: image (\S+) could not be verified: /, (m) => `item-error ${m[1] ?? ''}`],
    [/^trustgate: the verification provider failed: /, () => 'system-error'],
    [/^trustgate: the verification provider answered HTTP (\d+)$/, (m) => `http ${Number(m[1])}`],
  ];
  for (const [pattern, finding] of patterns) {
    const match = message.match(pattern);
    if (match) return finding(match);
  }
  throw new Error(`unexpected violation message: ${message}`);
}

const REVIEWS = new URL('../fixtures/admission/reviews/', import.meta.url);

/** The AdmissionRequest of a fixture review (Gatekeeper's input.review). */
export function review(kind: string): { object: { kind: string } } {
  return (JSON.parse(readFileSync(new URL(`${kind}.json`, REVIEWS), 'utf8')) as { request: { object: { kind: string } } }).request;
}

export function podTemplateReview(images: string[]): unknown {
  return {
    kind: { group: '', version: 'v1', kind: 'PodTemplate' },
    operation: 'CREATE',
    namespace: 'shop',
    object: {
      apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'tpl', namespace: 'shop' },
      template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } },
    },
  };
}

export function podReview(init: string[], containers: string[], ephemeral: string[]): unknown {
  const list = (prefix: string, images: string[]) => images.map((image, i) => ({ name: `${prefix}${i}`, image }));
  return {
    kind: { group: '', version: 'v1', kind: 'Pod' },
    operation: 'CREATE',
    namespace: 'shop',
    object: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
      spec: { initContainers: list('i', init), containers: list('c', containers), ephemeralContainers: list('e', ephemeral) },
    },
  };
}

/** Images a fixture object runs (what the template must send as keys). */
export function imagesOf(object: unknown): string[] {
  return [...new Set(JSON.stringify(object).match(/"image":"[^"]+"/g)?.map((m) => m.slice(9, -1)) ?? [])].sort();
}

export const ok = (subject: string): { value: unknown } => ({
  value: { isSuccess: true, verifierReports: [{ subject, isSuccess: true, name: 'trustgate-notation', message: 'verified' }] },
});

/** Stub `external_data` + the rule that evaluates every case; pasted after the template's Rego. */
export function harnessRego(cases: Record<string, RegoCase>, violationRule: string): string {
  return `
# --- test harness: Gatekeeper's external_data as the Rego sees it ---
tg_nullable(xs) = null {
  count(xs) == 0
} else = xs

external_data(request) = response {
  p := data.tg_case.provider
  p.mode == "answer"
  request.provider == "trustgate-verify"
  response := {
    "responses": tg_nullable([[k, v] | k := request.keys[_]; v := p.answers[k].value]),
    "errors": tg_nullable([[k, e] | k := request.keys[_]; e := p.answers[k].error]),
    "status_code": p.status_code,
    "system_error": p.system_error,
  }
}

external_data(request) = response {
  p := data.tg_case.provider
  p.mode == "http_error"
  request.provider == "trustgate-verify"
  response := {"responses": null, "errors": null, "status_code": p.status_code, "system_error": p.system_error}
}

tg_cases := ${JSON.stringify(cases)}

tg_case_result(c) = r {
  messages := [v.msg | ${violationRule}[v]] with input as c.input with data.tg_case as c
  sent := keys with input as c.input with data.tg_case as c
  r := {"messages": messages, "keys": sent}
}

tg_results := {name: r | c := tg_cases[name]; r := tg_case_result(c)}
`;
}
