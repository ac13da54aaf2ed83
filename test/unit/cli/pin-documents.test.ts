import { describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/cli-error.js';
import { findImages } from '../../../cli/pin/documents.js';
import { applyEdits } from '../../../cli/pin/rewrite.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const source = (text: string) => ({ name: 'm.yaml', path: 'm.yaml', text });
/** Pins every image found in `text` to DIGEST, as pin does after an allow. */
const pinAll = (text: string) => applyEdits(text, findImages(source(text)).sites.flatMap((s) => (s.node ? [{ node: s.node, value: `${s.image}@${DIGEST}` }] : [])));

describe('pin: finding and rewriting images in YAML', () => {
  it('keeps each scalar style: plain, single and double quoted; an anchor shared by aliases is rewritten once', () => {
    const text = "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - {name: a, image: 'r.io/a:1'}\n  - name: b\n    image: &img \"r.io/b:1\"  # shared\n  - name: c\n    image: *img\n";
    expect(pinAll(text)).toBe(`kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - {name: a, image: 'r.io/a:1@${DIGEST}'}\n  - name: b\n    image: &img "r.io/b:1@${DIGEST}"  # shared\n  - name: c\n    image: *img\n`);
  });

  it('reads the items of a kind: List, with lines and object names for the report', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: once}\n  spec:\n    template:\n      spec:\n        containers:\n        - {name: j, image: r.io/job:2}\n';
    const { sites } = findImages(source(text));
    expect(sites.map((s) => [s.image, s.line, s.object, s.container])).toEqual([['r.io/job:2', 11, 'Job/once', 'j']]);
    expect(pinAll(text)).toContain(`image: r.io/job:2@${DIGEST}}`);
  });

  it('reports a pod spec of the wrong shape and a container without an image; skips kinds admission does not inspect', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {containers: nope}}}\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: x}]\n---\napiVersion: v1\nkind: Service\nspec: {containers: [{image: r.io/ignored:1}]}\n';
    const { sites, problems } = findImages(source(text));
    expect(problems.map((p) => [p.object, p.document])).toEqual([['Deployment/d', 1]]);
    expect(sites.map((s) => [s.image, s.container, s.node === undefined])).toEqual([['', 'x', true]]);
  });

  it('refuses YAML it cannot rewrite safely: syntax errors, and images behind merge keys', () => {
    expect(() => findImages(source('kind: Pod\nspec: [\n'))).toThrow(CliError);
    const merged = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - <<: {image: r.io/hidden:1}\n    name: m\n';
    expect(() => findImages(source(merged))).toThrow(/cannot locate the image "r\.io\/hidden:1"/);
  });
});
