import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventError, parseEventDelivery } from '../../../shared/events/index.js';
import type { AcrImageEvent, ParsedEvent } from '../../../shared/events/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const fixture = (path: string): string => readFileSync(new URL(`../../fixtures/events/${path}`, import.meta.url), 'utf8');
const HOST = 'contosoacr.azurecr.io';
const IMAGE = 'sha256:8a8d1c3f1b2e9f46a5c1b7f3a0e6d4c2b9a8f7e6d5c4b3a2918f7e6d5c4b3a29';
const INDEX = 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270';
const SIGNATURE = 'sha256:0c1f6b4c9e1a7d2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const expected: Record<string, AcrImageEvent> = {
  'image-pushed-tag': {
    id: 'e3a1c6f2-0d4b-4e57-9a61-2b8c7d9e0f11', type: 'ImagePushed', registry: HOST, repository: 'team/app', digest: IMAGE,
    mediaType: MANIFEST, tag: 'v1.2.0', size: 1093, timestamp: '2026-11-20T10:15:30.123Z',
  },
  'image-pushed-digest': {
    id: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d', type: 'ImagePushed', registry: HOST, repository: 'team/app', digest: IMAGE,
    mediaType: MANIFEST, size: 1093, timestamp: '2026-11-20T10:16:01.000Z',
  },
  'image-pushed-index': {
    id: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', type: 'ImagePushed', registry: HOST, repository: 'team/multiarch', digest: INDEX,
    mediaType: 'application/vnd.oci.image.index.v1+json', tag: '2.0', size: 743, timestamp: '2026-11-20T10:17:42.314Z',
  },
  'signature-pushed': {
    id: 'c7d8e9f0-a1b2-4c3d-8e4f-5a6b7c8d9e0f', type: 'ImagePushed', registry: HOST, repository: 'team/app', digest: SIGNATURE,
    mediaType: MANIFEST, size: 728, timestamp: '2026-11-20T10:15:31.987Z',
  },
  'image-deleted': {
    id: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', type: 'ImageDeleted', registry: HOST, repository: 'team/app', digest: IMAGE,
    mediaType: MANIFEST, timestamp: '2026-11-21T08:00:00.500Z',
  },
};

const images = (parsed: ParsedEvent[]) => parsed.map((p) => (p.kind === 'image' ? p.event : p));

describe('parseEventDelivery', () => {
  it.each(Object.keys(expected).flatMap((name) => [['eventgrid', name], ['cloudevents', name]]))('parses %s/%s', async (schema, name) => {
    expect(images(await parseEventDelivery(fixture(`${schema}/${name}.json`)))).toEqual([expected[name]]);
  });

  it.each(['eventgrid', 'cloudevents'])('parses a %s batch in order', async (schema) => {
    expect(images(await parseEventDelivery(fixture(`${schema}/batch.json`)))).toEqual(Object.values(expected));
  });

  it('accepts an already-parsed body and bytes', async () => {
    const text = fixture('eventgrid/image-pushed-tag.json');
    expect(await parseEventDelivery(JSON.parse(text))).toEqual(await parseEventDelivery(Buffer.from(text)));
  });

  it('returns the subscription validation code', async () => {
    const [event] = await parseEventDelivery(fixture('eventgrid/subscription-validation.json'));
    expect(event).toMatchObject({ kind: 'subscriptionValidation', validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
  });

  it('classifies other ACR events without acting on them', async () => {
    expect(await parseEventDelivery(fixture('eventgrid/chart-pushed.json'))).toEqual([
      { kind: 'other', id: '7c2a1b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', type: 'Microsoft.ContainerRegistry.ChartPushed' },
    ]);
  });

  it.each(['not json', '[]', '42', '[1]', '[[]]', 'null'])('rejects the body %j as a whole', async (body) => {
    const error = await expectAppError(parseEventDelivery(body), 'ERR_INVALID_EVENT', 'invalid-input');
    expect(error).toBeInstanceOf(EventError);
  });

  it('rejects a delivery with more events than Event Grid ever batches', async () => {
    const one = JSON.parse(fixture('eventgrid/image-pushed-tag.json'))[0];
    await expectAppError(parseEventDelivery(Array.from({ length: 5_001 }, () => one)), 'ERR_INVALID_EVENT');
  });

  const pushed = () => JSON.parse(fixture('eventgrid/image-pushed-tag.json'))[0];
  const cloudPushed = () => JSON.parse(fixture('cloudevents/image-pushed-tag.json'));
  it.each<[string, () => unknown]>([
    ['no eventType', () => ({ ...pushed(), eventType: undefined })],
    ['no id', () => ({ ...pushed(), id: undefined })],
    ['a CloudEvent of another specversion', () => ({ ...cloudPushed(), specversion: '0.3' })],
    ['no data.request.host', () => { const e = pushed(); delete e.data.request.host; return e; }],
    ['a host with a path', () => { const e = pushed(); e.data.request.host = 'evil.io/x'; return e; }],
    ['a repository with uppercase', () => { const e = pushed(); e.data.target.repository = 'Team/App'; return e; }],
    ['a repository with ..', () => { const e = pushed(); e.data.target.repository = 'team/../app'; return e; }],
    ['a short sha256 digest', () => { const e = pushed(); e.data.target.digest = 'sha256:abc'; return e; }],
    ['an uppercase sha256 digest', () => { const e = pushed(); e.data.target.digest = e.data.target.digest.toUpperCase().replace('SHA256', 'sha256'); return e; }],
    ['a digest without algorithm', () => { const e = pushed(); e.data.target.digest = 'a'.repeat(64); return e; }],
    ['an md5: digest (poison: never fetchable)', () => { const e = pushed(); e.data.target.digest = `md5:${'a'.repeat(32)}`; return e; }],
    ['a sha384: digest (poison: not verified by the client)', () => { const e = pushed(); e.data.target.digest = `sha384:${'a'.repeat(96)}`; return e; }],
    ['a tag with a slash', () => { const e = pushed(); e.data.target.tag = 'v1/../x'; return e; }],
    ['a negative size', () => { const e = pushed(); e.data.target.size = -1; return e; }],
    ['data that is a string', () => ({ ...cloudPushed(), data: 'hello' })],
    ['a validation event without code', () => ({ ...JSON.parse(fixture('eventgrid/subscription-validation.json'))[0], data: {} })],
  ])('marks an event with %s as invalid and keeps its neighbours', async (_what, make) => {
    const good = pushed();
    const parsed = await parseEventDelivery([make(), good]);
    expect(parsed[0]?.kind).toBe('invalid');
    if (parsed[0]?.kind === 'invalid') {
      expect(parsed[0].error).toBeInstanceOf(EventError);
      expect(parsed[0].error.code).toBe('ERR_INVALID_EVENT');
    }
    expect(parsed[1]).toEqual({ kind: 'image', event: expected['image-pushed-tag'] });
  });

  it('lowercases the registry host and falls back to the event time when data has none', async () => {
    const e = pushed();
    e.data.request.host = 'ContosoACR.azurecr.io:443';
    delete e.data.timestamp;
    const [parsed] = await parseEventDelivery([e]);
    expect(parsed).toMatchObject({ kind: 'image', event: { registry: 'contosoacr.azurecr.io:443', timestamp: '2026-11-20T10:15:30.512Z' } });
  });
});
