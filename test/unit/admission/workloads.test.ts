import { describe, expect, it } from 'vitest';
import { extractImages, sitesToVerify } from '../../../shared/admission/index.js';
import { imagesIn, loadReview, WORKLOAD_FIXTURES } from './reviews.js';

describe('extractImages', () => {
  it.each(WORKLOAD_FIXTURES)('finds every image of the %s fixture with a JSON pointer to it', (name) => {
    const review = loadReview(name);
    const extraction = extractImages(review.request.kind as { group: string; kind: string }, review.request.object);
    expect(extraction.kind).toBe('workload');
    if (extraction.kind !== 'workload') return;
    expect(extraction.sites.map((site) => site.image).sort()).toEqual(imagesIn(review.request.object).sort());
    expect(extraction.sites.length).toBeGreaterThan(0);
    for (const site of extraction.sites) {
      const resolved = site.pointer.split('/').slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], review.request.object);
      expect(resolved).toBe(site.image);
    }
  });

  it.each([
    ['pod', '/spec/ephemeralContainers/0/image'],
    ['pod', '/spec/initContainers/0/image'],
    ['cronjob', '/spec/jobTemplate/spec/template/spec/containers/0/image'],
    ['deployment', '/spec/template/spec/containers/1/image'],
  ] as const)('%s: reports %s', (name, pointer) => {
    const review = loadReview(name);
    const extraction = extractImages(review.request.kind as { group: string; kind: string }, review.request.object);
    expect(extraction.kind === 'workload' && extraction.sites.map((site) => site.pointer)).toContain(pointer);
  });

  it.each([
    [{ group: '', kind: 'ConfigMap' }, 'ConfigMap'],
    [{ group: 'example.com', kind: 'Deployment' }, 'example.com/Deployment'],
    [{ group: 'apps', kind: 'Pod' }, 'apps/Pod'],
  ])('treats %o as unsupported', (kind, kindName) => {
    expect(extractImages(kind, { spec: { containers: [{ name: 'x', image: 'a/b' }] } })).toEqual({ kind: 'unsupported', kindName });
  });

  it.each([
    ['spec is a string', { spec: 'nope' }],
    ['containers is an object', { spec: { containers: { name: 'a', image: 'b' } } }],
    ['a container is a string', { spec: { containers: ['registry.test/a:1'] } }],
  ])('reports an invalid object when %s', (_why, object) => {
    expect(extractImages({ group: '', kind: 'Pod' }, object).kind).toBe('invalid');
  });

  it.each([
    ['a missing image', { name: 'a' }],
    ['a numeric image', { name: 'a', image: 42 }],
  ])('keeps a container with %s as a site with an empty image (so it fails, never skips)', (_why, container) => {
    const extraction = extractImages({ group: '', kind: 'Pod' }, { spec: { containers: [container] } });
    expect(extraction).toEqual({ kind: 'workload', sites: [{ pointer: '/spec/containers/0/image', container: 'a', image: '' }] });
  });

  it('finds no images in a workload without a pod template', () => {
    expect(extractImages({ group: 'apps', kind: 'Deployment' }, { spec: {} })).toEqual({ kind: 'workload', sites: [] });
  });
});

describe('sitesToVerify', () => {
  const kind = { group: '', kind: 'Pod' };
  const pod = (...images: string[]) => ({ spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });
  const sites = (object: unknown) => {
    const extraction = extractImages(kind, object);
    return extraction.kind === 'workload' ? extraction.sites : [];
  };

  it('on UPDATE keeps only images the old object did not run', () => {
    const chosen = sitesToVerify('UPDATE', sites(pod('r.test/a:1', 'r.test/b:2')), extractImages(kind, pod('r.test/a:1')));
    expect(chosen.map((site) => site.image)).toEqual(['r.test/b:2']);
  });

  it('on CREATE keeps everything, whatever oldObject says', () => {
    expect(sitesToVerify('CREATE', sites(pod('r.test/a:1')), extractImages(kind, pod('r.test/a:1')))).toHaveLength(1);
  });

  it('on UPDATE with an unreadable old object verifies everything', () => {
    expect(sitesToVerify('UPDATE', sites(pod('r.test/a:1')), extractImages(kind, { spec: 'x' }))).toHaveLength(1);
  });
});
