import { existsSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import { SurveyError } from './errors.js';

// Charts rendered without a browser: a vega-lite spec is compiled to vega, rendered to SVG by
// vega's headless View, then rasterised by resvg. resvg draws text only with a font it can load,
// so a font file is looked up explicitly; without one the PNG is produced without text and the
// result says so in `warnings`. vega, vega-lite and resvg are imported on first use: they take
// seconds to load and most processes never draw a chart.

/** Font files tried in order when none is given (Debian/Ubuntu, Fedora, Arch, macOS, Windows). */
export const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

/** A rendered chart. */
export interface RenderedChart {
  svg: string;
  png?: Buffer;
  width: number;
  height: number;
  /** Font used for text, or null (then `warnings` explains that text is missing). */
  font: string | null;
  warnings: string[];
}

/** Options of chart rendering. */
export interface RenderOptions {
  format: 'svg' | 'png';
  /** A .ttf/.otf file; default: the first of FONT_CANDIDATES that exists. */
  fontFile?: string;
  /** Pixel density of the PNG (2 = retina). */
  scale?: number;
  /** Throw SURVEY_CHART_FONT_MISSING instead of rendering a PNG without text. */
  requireFont?: boolean;
}

/** Finds a usable font file: the given one (must exist) or the first system candidate. */
export function findFontFile(explicit?: string): string | null {
  if (explicit) {
    if (!existsSync(explicit))
      throw new SurveyError('SURVEY_CHART_FONT_MISSING', `font file ${explicit} does not exist`);
    return explicit;
  }
  return FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
}

/** Renders a vega-lite spec to SVG, and to PNG when asked. */
export async function renderChart(spec: TopLevelSpec, opts: RenderOptions): Promise<RenderedChart> {
  const font = findFontFile(opts.fontFile);
  const warnings: string[] = [];
  if (!font) {
    const msg =
      'no font file found (looked for DejaVu/Liberation/Noto Sans); chart text is omitted from the PNG. Install fonts-dejavu-core or pass a font file.';
    if (opts.requireFont && opts.format === 'png') throw new SurveyError('SURVEY_CHART_FONT_MISSING', msg);
    warnings.push(msg);
  }
  const family = 'DejaVu Sans, Liberation Sans, Noto Sans, Arial, sans-serif';
  const withFont = {
    ...spec,
    config: { font: family, background: 'white', ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const width = Number(size?.[1] ?? 0);
  const height = Number(size?.[2] ?? 0);
  if (opts.format === 'svg') return { svg, width, height, font, warnings };
  const scale = opts.scale ?? 1;
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: font
      ? { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }
      : { loadSystemFonts: true },
    background: 'white',
  });
  const img = resvg.render();
  return { svg, png: img.asPng(), width: img.width, height: img.height, font, warnings };
}
