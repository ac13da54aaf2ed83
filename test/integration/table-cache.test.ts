import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableClient } from '@azure/data-tables';
import { ManualClock, memoryLogger } from '../../shared/core/index.js';
import { TableResultCache } from '../../shared/cache/index.js';
import type { CachedVerdict } from '../../shared/cache/index.js';
import { createTestTable, startAzurite } from '../helpers/azurite.js';
import type { LocalAzurite } from '../helpers/azurite.js';
import { BASE_KEY, cachedVerdict } from '../unit/cache/verdict-factory.js';

const T0 = new Date('2026-11-01T12:00:00Z');
let azurite: LocalAzurite;
let tableCounter = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

/** A fresh table per test, so tests never see each other's rows. */
async function freshCache(clock = new ManualClock(T0)) {
  const client = await createTestTable(azurite, `verdicts${++tableCounter}`);
  const logger = memoryLogger();
  return { client, logger, clock, cache: new TableResultCache({ client, logger, clock, requestTimeoutMs: 2_000 }) };
}

const digestN = (n: number) => 'sha256:' + n.toString(16).padStart(64, '0');

describe('TableResultCache against Azurite', () => {
  it('round-trips a verdict and treats it as a miss once expired', async () => {
    const { cache } = await freshCache();
    const entry = cachedVerdict();
    await cache.put(entry);
    expect(await cache.get(BASE_KEY, T0)).toEqual(entry);
    expect(await cache.get(BASE_KEY, new Date(entry.verdict.expiresAt))).toBeUndefined();
    expect(await cache.get({ ...BASE_KEY, fingerprint: 'other' }, T0)).toBeUndefined();
  });

  it.each([
    ['slashes', 'a/b/c'],
    ['hash', 'team/a#b'],
    ['question mark', 'team/a?b=c'],
    ['backslash', 'team\\app'],
    ['quote and percent', "o'neil/100%"],
    ['unicode', 'équipe/画像/😀'],
    ['control characters', 'a\u0001b\u007fc'],
    ['over 1 KiB (hashed key)', 'x/'.repeat(700)],
  ])('stores and finds a repository name with %s', async (_what, repository) => {
    const { cache, client, logger } = await freshCache();
    const entry = cachedVerdict({ key: { repository } });
    await cache.put(entry);
    expect(await cache.get(entry.key, T0)).toEqual(entry);
    expect(logger.entries).toEqual([]);
    const rows = [];
    for await (const row of client.listEntities()) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.repository).toBe(repository);
  });

  it('stores a big verdict compressed and split across properties', async () => {
    const { cache, client } = await freshCache();
    const entry = cachedVerdict({ signatures: 40, messageChars: 2_000 });
    await cache.put(entry);
    expect(await cache.get(BASE_KEY, T0)).toEqual(entry);
    for await (const row of client.listEntities()) {
      expect(row.verdictEncoding).toBe('gzip+base64');
      expect(row.verdictParts).toBeGreaterThan(1);
    }
  });

  it('refuses a verdict too large for one entity with a warning, and stays a miss', async () => {
    const { cache, logger } = await freshCache();
    await cache.put(cachedVerdict({ signatures: 300, messageChars: 2_000 }));
    expect(await cache.get(BASE_KEY, T0)).toBeUndefined();
    expect(logger.entries).toEqual([expect.objectContaining({ level: 'warn', event: 'cache.entry_not_stored' })]);
  });

  it('keeps the newer verdict when an older one is written later', async () => {
    const { cache } = await freshCache();
    await cache.put(cachedVerdict({ decision: 'deny', verifiedAt: '2026-11-01T10:00:00Z' }));
    await cache.put(cachedVerdict({ decision: 'allow', verifiedAt: '2026-11-01T09:00:00Z' }));
    expect((await cache.get(BASE_KEY, T0))?.verdict.decision).toBe('deny');
    await cache.put(cachedVerdict({ decision: 'allow', verifiedAt: '2026-11-01T11:00:00Z' }));
    expect((await cache.get(BASE_KEY, T0))?.verdict.decision).toBe('allow');
  });

  it('lets the newest verifiedAt win when two instances race on one key', async () => {
    const { client, cache: first } = await freshCache();
    const second = new TableResultCache({ client, logger: memoryLogger(), clock: new ManualClock(T0) });
    const minutes = [7, 3, 9, 1, 8, 2, 6, 4, 5, 0];
    await Promise.all(
      minutes.map((m, i) =>
        (i % 2 === 0 ? first : second).put(cachedVerdict({ verifiedAt: `2026-11-01T10:0${m}:00.000Z`, source: i % 2 === 0 ? 'push' : 'request' })),
      ),
    );
    expect((await first.get(BASE_KEY, T0))?.verdict.verifiedAt).toBe('2026-11-01T10:09:00.000Z');
  });

  it('deleteDigest removes every fingerprint of the digest and nothing else', async () => {
    const { cache } = await freshCache();
    for (const fingerprint of ['f1', 'f2', 'f3']) await cache.put(cachedVerdict({ key: { fingerprint } }));
    const sameDigestOtherRepo = cachedVerdict({ key: { repository: 'team/other' } });
    const otherDigest = cachedVerdict({ key: { digest: digestN(7) } });
    await cache.put(sameDigestOtherRepo);
    await cache.put(otherDigest);
    await cache.deleteDigest(BASE_KEY.registry, BASE_KEY.repository, BASE_KEY.digest);
    for (const fingerprint of ['f1', 'f2', 'f3']) expect(await cache.get({ ...BASE_KEY, fingerprint }, T0)).toBeUndefined();
    expect(await cache.get(sameDigestOtherRepo.key, T0)).toEqual(sameDigestOtherRepo);
    expect(await cache.get(otherDigest.key, T0)).toEqual(otherDigest);
  });

  it('lists due entries oldest first, page by page, across partitions', async () => {
    const { cache } = await freshCache();
    // Expiry order deliberately unlike key order: repositories and digests are shuffled against expiresAt.
    const expiries = [13, 2, 8, 21, 5, 1, 34, 3, 55, 0];
    for (const [i, minute] of expiries.entries()) {
      await cache.put(cachedVerdict({
        key: { repository: `repo${(i * 7) % 4}`, digest: digestN(100 - i) },
        verifiedAt: '2026-11-01T00:00:00.000Z',
        expiresAt: new Date(Date.parse('2026-11-01T13:00:00Z') + minute * 60_000).toISOString(),
      }));
    }
    const before = new Date('2026-11-01T13:30:00Z'); // 34 and 55 are not due
    const seen: CachedVerdict[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await cache.listDue(before, 3, continuation);
      seen.push(...page.entries);
      continuation = page.continuation;
      pages++;
    } while (continuation !== undefined && pages < 10);
    expect(seen.map((e) => new Date(e.verdict.expiresAt).getUTCMinutes())).toEqual([0, 1, 2, 3, 5, 8, 13, 21]);
    expect(pages).toBe(3);
  });

  it('degrades to misses and no-ops with one warning when Table Storage goes away, and recovers', async () => {
    const own = await startAzurite();
    const clock = new ManualClock(T0);
    const client: TableClient = await createTestTable(own, 'outage');
    const logger = memoryLogger();
    const cache = new TableResultCache({ client, logger, clock, requestTimeoutMs: 1_000, outageBackoffMs: 5_000 });
    await cache.put(cachedVerdict());
    expect(await cache.get(BASE_KEY, T0)).toBeDefined();

    await own.stop();
    expect(await cache.get(BASE_KEY, T0)).toBeUndefined();
    await cache.put(cachedVerdict({ key: { digest: digestN(1) } }));
    await cache.deleteDigest(BASE_KEY.registry, BASE_KEY.repository, BASE_KEY.digest);
    expect(await cache.listDue(T0, 10)).toEqual({ entries: [] });
    clock.advance(6_000); // past the back-off: the next call probes again, still down, still no second warning
    expect(await cache.get(BASE_KEY, T0)).toBeUndefined();
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([expect.objectContaining({ event: 'cache.table_unavailable' })]);

    const back = await startAzurite({ port: own.port });
    try {
      await createTestTable(back, 'outage');
      clock.advance(6_000);
      const entry = cachedVerdict();
      await cache.put(entry);
      expect(await cache.get(BASE_KEY, T0)).toEqual(entry);
      expect(logger.entries.map((e) => e.event)).toEqual(['cache.table_unavailable', 'cache.table_recovered']);
    } finally {
      await back.stop();
    }
  });
});

describe('TableResultCache against a table endpoint that never answers', () => {
  it('gives up at the request deadline: a miss and a no-op, one warning, no throw', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = TableClient.fromConnectionString(
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.from('k').toString('base64')};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
        'verdicts',
        { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
      );
      const logger = memoryLogger();
      const cache = new TableResultCache({ client, logger, clock: new ManualClock(T0), requestTimeoutMs: 300 });
      expect(await cache.get(BASE_KEY, T0)).toBeUndefined();
      await cache.put(cachedVerdict());
      expect(logger.entries).toEqual([expect.objectContaining({ level: 'warn', event: 'cache.table_unavailable' })]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('Azurite launcher', () => {
  it('falls back to the azurite-table CLI, which serves the same cache', async () => {
    const cli = await startAzurite({ cli: true });
    try {
      expect(cli.mode).toBe('cli');
      const client = await createTestTable(cli, 'viacli');
      const cache = new TableResultCache({ client, logger: memoryLogger(), clock: new ManualClock(T0) });
      const entry = cachedVerdict();
      await cache.put(entry);
      expect(await cache.get(BASE_KEY, T0)).toEqual(entry);
    } finally {
      await cli.stop();
    }
  });
});

describe('TableResultCache when the table disappears (Azurite restarted empty)', () => {
  it('creates the table again on the next write (TableNotFound → create → retry once) and serves reads again', async () => {
    const { client, cache, logger } = await freshCache();
    await client.deleteTable();
    const entry = cachedVerdict();
    expect(await cache.get(BASE_KEY, T0)).toBeUndefined(); // a missing table reads as a miss
    await cache.put(entry);
    expect(await cache.get(BASE_KEY, T0)).toEqual(entry);
    expect(logger.entries.map((e) => e.event)).toContain('cache.table_recreated');
    expect(logger.entries.filter((e) => e.event === 'cache.table_error')).toEqual([]);
  });

  it('with re-creation off, the write is a logged no-op', async () => {
    const { client, logger, clock } = await freshCache();
    const cache = new TableResultCache({ client, logger, clock, recreateMissingTable: false });
    await client.deleteTable();
    await cache.put(cachedVerdict());
    expect(await cache.get(BASE_KEY, T0)).toBeUndefined();
    expect(logger.entries.map((e) => e.event)).toContain('cache.table_error');
  });
});
