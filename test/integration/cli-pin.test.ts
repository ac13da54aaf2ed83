import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run.js';
import { fixedClock } from '../../shared/core/index.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

interface PinJson {
  decision: string;
  entries: Array<{ image: string; decision: string; digest?: string; pinned?: string; reasons: Array<{ code: string }>; locations: Array<{ source: string; line: number; object: string; container?: string }> }>;
  manifests?: string;
  written?: string[];
}

/** A Helm-style stream: comments, quoting and odd indentation that must survive pinning byte for byte. */
function manifest(signed: string, cose: string, pinned: string): string {
  return `# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the front end
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${signed} # pinned by the pipeline
          ports: [{containerPort: 8080}]
---
# Source: app/templates/cronjob.yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: "${cose}"
          restartPolicy: OnFailure
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  initContainers:
  - name: init
    image: '${pinned}'
  containers:
  - name: main
    image: ${signed}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-inspected}
data: {image: "not/an:image"}
`;
}

describe.skipIf(!dockerRegistryAvailable())('trustgate pin (real docker-registry)', () => {
  let fixture: SignedRegistry;
  let dir: string;
  let input: string;
  let expected: string;

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    dir = await mkdtemp(join(tmpdir(), 'trustgate-pin-'));
    const { signed, signedCose } = fixture.images;
    input = manifest(signed.reference, signedCose.reference, signed.pinned);
    expected = manifest(`${signed.reference}@${signed.descriptor.digest}`, `${signedCose.reference}@${signedCose.descriptor.digest}`, signed.pinned);
  });
  afterAll(async () => {
    await fixture?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], stdin?: string) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: { HOME: dir },
      overrides: { clock: fixedClock(fixture.now) },
      ...(stdin === undefined ? {} : { stdin: [stdin] }),
    });
    return { code, stdout, stderr };
  };
  const flags = () => ['--trust-policy', fixture.policyPath, '--trust-store', fixture.storeDir, '--plain-http'];
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('pins every image of a Deployment, a CronJob and a Pod to its verified digest, keeping comments and formatting', async () => {
    const path = await file('app.yaml', input);
    const result = await run(['pin', path, ...flags()]);
    expect(result.stderr).toContain('3 images: 3 allowed, 0 denied, 0 inconclusive');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected);
    expect(await readFile(path, 'utf8')).toBe(input); // not written without --write
  });

  it('reads standard input', async () => {
    const result = await run(['pin', ...flags()], input);
    expect([result.code, result.stdout]).toEqual([0, expected]);
  });

  it('--write rewrites the file in place; a second run changes nothing', async () => {
    const path = await file('write.yaml', input);
    const first = await run(['pin', '-w', path, ...flags()]);
    expect([first.code, first.stdout]).toEqual([0, '']);
    expect(await readFile(path, 'utf8')).toBe(expected);
    const second = await run(['pin', '--write', path, ...flags(), '--output', 'json']);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as PinJson).written).toEqual([]);
  });

  it('--check verifies and never writes', async () => {
    const path = await file('check.yaml', input);
    const result = await run(['pin', '--check', path, ...flags()]);
    expect([result.code, result.stdout]).toEqual([0, '']);
    expect(result.stderr).toContain(`ALLOWED: ${fixture.images.signed.reference} -> ${fixture.images.signed.reference}@${fixture.images.signed.descriptor.digest}`);
    expect(await readFile(path, 'utf8')).toBe(input);
  });

  it('a denied image fails the run (exit 1) with a per-image report, and nothing is written', async () => {
    const good = await file('good.yaml', input);
    const bad = await file('bad.yaml', `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${fixture.images.unsigned.reference}\n  - name: empty\n`);
    const result = await run(['pin', good, bad, ...flags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`DENIED: ${fixture.images.unsigned.reference}`);
    expect(result.stderr).toContain('ERR_NO_SIGNATURE');
    expect(result.stderr).toContain(`at ${bad}:7 Pod/p (container c)`);
    expect(result.stderr).toContain('container empty');

    const json = await run(['pin', '--check', good, bad, ...flags(), '--output', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as PinJson;
    expect(report.decision).toBe('deny');
    const unsigned = report.entries.find((e) => e.image === fixture.images.unsigned.reference);
    expect(unsigned).toMatchObject({ decision: 'deny', reasons: [{ code: 'ERR_NO_SIGNATURE' }], locations: [{ source: bad, line: 7, object: 'Pod/p', container: 'c' }] });
    expect(report.entries.find((e) => e.image === '')?.reasons[0]?.code).toBe('ERR_INVALID_REFERENCE');
    expect(report.entries.filter((e) => e.decision === 'allow').map((e) => e.digest)).toEqual([fixture.images.signed.descriptor.digest, fixture.images.signedCose.descriptor.digest, fixture.images.signed.descriptor.digest]);
  });

  it('an already pinned image whose digest is not the verified one is denied', async () => {
    const other = `${fixture.images.signed.reference}@${fixture.images.unsigned.descriptor.digest}`;
    const path = await file('mismatch.yaml', `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${other}\n`);
    const result = await run(['pin', '--check', path, ...flags(), '--output', 'json']);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as PinJson).entries[0]).toMatchObject({ image: other, decision: 'deny' });
  });

  it('verify names the signer of a rejected signature, not only of passing ones', async () => {
    const result = await run(['verify', fixture.images.untrusted.reference, ...flags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/rejected notary evidence sha256:[a-f0-9]{64} by: .*CN=Stranger Leaf/);
  });

  it('usage and configuration errors exit 2 naming the file, flag or line', async () => {
    const path = await file('ok.yaml', input);
    const missing = await run(['pin', join(dir, 'nope.yaml'), ...flags()]);
    expect([missing.code, missing.stderr]).toEqual([2, `trustgate: file not found: ${join(dir, 'nope.yaml')}\n`]);
    const broken = await file('broken.yaml', 'kind: Pod\nspec: [unclosed\n');
    const syntax = await run(['pin', broken, ...flags()]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/broken\.yaml: document 1: .*line/);
    const store = await run(['pin', path, '--trust-policy', fixture.policyPath, '--trust-store', join(dir, 'no-store'), '--plain-http']);
    expect([store.code, store.stderr]).toEqual([2, `trustgate: trust store (--trust-store): not found: ${join(dir, 'no-store')}\n`]);
    expect((await run(['pin', '--check', '--write', path, ...flags()])).code).toBe(2);
    expect((await run(['pin', '--write', ...flags()], input)).code).toBe(2);
  });
});
