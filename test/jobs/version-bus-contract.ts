import { afterEach, describe, expect, it } from 'vitest';
import type { VersionAnnouncement, VersionBus } from '../../jobs/index.js';
import { waitFor } from './job-queue-contract.js';

/** Two handles on one bus: two processes for Redis, the same process for the in-process bus. */
export interface BusPair {
  publisher: VersionBus;
  subscriber: VersionBus;
}

/** Runs the VersionBus contract against one implementation. */
export function describeVersionBusContract(label: string, create: () => Promise<BusPair>): void {
  describe(`VersionBus contract: ${label}`, () => {
    const open: VersionBus[] = [];
    const make = async () => {
      const pair = await create();
      open.push(pair.publisher, pair.subscriber);
      return pair;
    };
    afterEach(async () => {
      await Promise.all([...new Set(open.splice(0))].map((bus) => bus.close()));
    });

    it('delivers an announcement to subscribers of its topic only', async () => {
      const { publisher, subscriber } = await make();
      const models: VersionAnnouncement[] = [];
      const indexes: VersionAnnouncement[] = [];
      subscriber.subscribe('nlu.model', (a) => void models.push(a));
      subscriber.subscribe('recsys.index', (a) => void indexes.push(a));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await publisher.publish('nlu.model', 'v7')).toEqual({ delivered: true });
      await waitFor(() => models.length === 1, 20_000, 'announcement');
      expect(models[0]).toMatchObject({ topic: 'nlu.model', version: 'v7', origin: publisher.origin });
      expect(indexes).toEqual([]);
    });

    it('remembers the latest announcement per topic', async () => {
      const { publisher, subscriber } = await make();
      expect(await subscriber.latest('recsys.rules')).toBeUndefined();
      await publisher.publish('recsys.rules', 'r1');
      await publisher.publish('recsys.rules', 'r2');
      expect((await subscriber.latest('recsys.rules'))?.version).toBe('r2');
    });

    it('stops delivering after unsubscribe and isolates a failing handler', async () => {
      const { publisher, subscriber } = await make();
      const kept: string[] = [];
      const dropped: string[] = [];
      subscriber.subscribe('segments', () => {
        throw new Error('handler bug');
      });
      subscriber.subscribe('segments', (a) => void kept.push(a.version));
      const off = subscriber.subscribe('segments', (a) => void dropped.push(a.version));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await publisher.publish('segments', 's1');
      await waitFor(() => kept.length === 1, 20_000, 'first');
      off();
      await publisher.publish('segments', 's2');
      await waitFor(() => kept.length === 2, 20_000, 'second');
      expect(kept).toEqual(['s1', 's2']);
      expect(dropped).toEqual(['s1']);
    });

    it('rejects an invalid version', async () => {
      const { publisher } = await make();
      await expect(publisher.publish('nlu.model', '')).rejects.toMatchObject({ code: 'VERSION_INVALID' });
    });
  });
}
