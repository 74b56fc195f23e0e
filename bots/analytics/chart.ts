// Charts for marketers: a vega-lite spec compiled and rendered to SVG by vega (no browser), then
// rasterised to PNG with resvg, so Slack gets an image file. vega, vega-lite and resvg are imported
// on the first chart: on top of the server's other imports they add ~30 MB and ~0.4 s to every
// process that never draws one.
import type { TopLevelSpec } from 'vega-lite';

/** A bar or line chart over rows of { x, y, series? }. */
export interface ChartData {
  title: string;
  mark: 'bar' | 'line';
  xTitle: string;
  yTitle: string;
  rows: Array<{ x: string; y: number; series?: string }>;
  /** Fixed y domain, e.g. [-100, 100] for NPS. */
  yDomain?: [number, number];
  /** The y values are counts: whole-number ticks only (no 0.1 … 1.0 respondents). */
  counts?: boolean;
}

/** Breaks a title into lines of at most `width` characters at spaces, so nothing is cut. Pure. */
export function wrapTitle(title: string, width = 70): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Thrown for a chart with no rows: callers say "no data for <period>" instead of drawing one. */
export class EmptyChartError extends Error {
  constructor(title: string) {
    super(`no data to chart for "${title}"`);
    this.name = 'EmptyChartError';
  }
}

/** Renders a chart to PNG bytes. */
export async function renderChartPng(data: ChartData, width = 640, height = 320): Promise<Uint8Array> {
  const [vega, vl, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  if (data.rows.length === 0) throw new EmptyChartError(data.title);
  const hasSeries = data.rows.some((r) => r.series !== undefined);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: wrapTitle(data.title), anchor: 'start' },
    width,
    height,
    background: 'white',
    data: { values: data.rows },
    mark: data.mark === 'line' ? { type: 'line', point: true } : { type: 'bar' },
    encoding: {
      x: {
        field: 'x',
        type: 'ordinal',
        title: data.xTitle,
        sort: null,
        axis: { labelLimit: 220, labelAngle: data.rows.length > 6 ? -30 : 0 },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: data.yTitle,
        ...(data.yDomain ? { scale: { domain: data.yDomain } } : {}),
        ...(data.counts ? { axis: { format: 'd', tickMinStep: 1 } } : {}),
      },
      ...(hasSeries
        ? {
            color: { field: 'series', type: 'nominal', title: null },
            xOffset: data.mark === 'bar' ? { field: 'series' } : undefined,
          }
        : { color: { value: '#0f6e56' } }),
    },
    config: { font: 'sans-serif' },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'original' } }).render().asPng();
}
