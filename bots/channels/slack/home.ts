// The App Home tab: key figures and the handoff queue (waiting, claimed by whom, for how long).
// Members who open it are remembered, and with the live handoff their Home is published again
// whenever the queue changes (a handoff opens, is claimed or closed), so it is current without
// reopening. Each Home is built for its member's role: customers' names only for roles that may
// read personal data.
import type { App } from '@slack/bolt';
import type { HandoffDesk } from '../../handoff/index.js';
import type {
  BotLogger,
  Handoffs,
  HandoffView,
  HomeViewers,
  MarketerAnalytics,
  MemberRole,
  SlackMembers,
} from '../../ports.js';
import { homeView } from './blocks.js';

/** What the Home needs. */
export interface SlackHomeOptions {
  analytics: Pick<MarketerAnalytics, 'keyFigures'>;
  handoffs: Handoffs;
  members: SlackMembers;
  /** Where openers are remembered; without it Homes are published only when opened. */
  viewers?: HomeViewers;
  /** The live handoff: its queue changes refresh Homes, its reading policy hides names. */
  desk?: Pick<HandoffDesk, 'onQueueChange' | 'reading'>;
  logger: BotLogger;
}

// Members who opened their Home this long ago still get it refreshed.
const RECENT_MS = 30 * 24 * 3600 * 1000;
const MAX_REFRESHED = 200;
// Changes arriving together (claim + its notice) are published once.
const COALESCE_MS = 250;

type Client = App['client'];

/** Registers the Home listener; returns the refresher (also called on every queue change). */
export function registerHome(app: App, opts: SlackHomeOptions): { refresh(): Promise<number>; stop(): void } {
  const view = async (
    role: MemberRole | null,
    queue: HandoffView[],
    figures: Array<{ label: string; value: string }>,
  ) => {
    if (!role) return homeView([], [], false);
    const names = opts.desk ? opts.desk.reading(role) !== 'hidden' : false;
    return homeView(figures, names ? queue : queue.map((h) => ({ ...h, customer: null })), true);
  };
  const publish = (client: Client, user: string, home: Awaited<ReturnType<typeof view>>) =>
    client.views.publish({ user_id: user, view: home });

  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const role = (context.role as MemberRole | null) ?? null;
    const team = context.slackTeam as string | undefined;
    if (role && team) await opts.viewers?.opened(team, event.user);
    const [figures, queue] = role
      ? await Promise.all([opts.analytics.keyFigures(), opts.handoffs.listActive(50)])
      : [[], []];
    await publish(client, event.user, await view(role, queue, figures));
  });

  const refresh = async (): Promise<number> => {
    if (!opts.viewers) return 0;
    const who = await opts.viewers.recent(new Date(Date.now() - RECENT_MS), MAX_REFRESHED);
    if (who.length === 0) return 0;
    const [figures, queue] = await Promise.all([opts.analytics.keyFigures(), opts.handoffs.listActive(50)]);
    let published = 0;
    for (const { teamId, userId } of who) {
      const role = await opts.members.role(teamId, userId);
      if (!role) continue; // removed from the allow-list since: nothing new to show them
      try {
        await publish(app.client, userId, await view(role, queue, figures));
        published++;
      } catch (err) {
        opts.logger.warn({ err, userId }, 'App Home not refreshed for one member');
      }
    }
    return published;
  };

  let timer: NodeJS.Timeout | undefined;
  const stop =
    opts.desk?.onQueueChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        refresh().catch((err: unknown) => opts.logger.warn({ err }, 'App Home refresh failed'));
      }, COALESCE_MS);
    }) ?? (() => undefined);
  return {
    refresh,
    stop: () => {
      stop();
      clearTimeout(timer);
    },
  };
}
