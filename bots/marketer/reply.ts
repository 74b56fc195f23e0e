// What a marketer answer looks like and what answering needs: shared by the answer dispatcher and
// every question kind (bots/marketer/kinds/). Channel-neutral: the Slack channel renders a reply as
// Block Kit, a PNG or a CSV upload.
import type { ChartData } from '../analytics/chart.js';
import type { Catalog, Handoffs, MarketerAnalytics, ProductCard } from '../ports.js';
import type { MarketerInsights } from './ports.js';

/** A button on a reply: `question` buttons ask that question again in the marketer's name. */
export interface ReplyButton {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** What the marketer sees. */
export interface MarketerReply {
  text: string;
  fields?: Array<{ label: string; value: string }>;
  lines?: string[];
  products?: ProductCard[];
  buttons?: ReplyButton[];
  chart?: { title: string; png: Uint8Array };
  file?: { filename: string; title: string; content: string };
}

/** Ports and helpers the answers need. */
export interface MarketerAnswerDeps {
  analytics: MarketerAnalytics;
  insights: MarketerInsights;
  catalog: Catalog;
  handoffs: Handoffs;
  /** Masks e-mails, phone numbers, cards in quoted comments. */
  maskPII(text: string): string;
  renderChart(data: ChartData): Promise<Uint8Array>;
}
