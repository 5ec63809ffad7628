// bench/svg_axes.ts — the frame every bench chart shares: an SVG page with a title, x and y axes from 0
// to a maximum, five labelled ticks with light grid lines, axis names, and the data → pixel mappings.

/** Page size and margins in pixels (left, right, top, bottom: room for tick labels and a legend). */
export interface ChartFrame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface AxesOptions {
  /** Data range drawn: x in [0, maxX] (trials), y in [0, maxY] (e.g. GFLOP/s); both > 0. */
  readonly maxX: number;
  readonly maxY: number;
  /** Title lines, the first larger, drawn from the top edge down. */
  readonly title: readonly string[];
  readonly xLabel: string;
  readonly yLabel: string;
}

export interface Axes {
  /** Pixel x of a trial count: 0 → the left margin, maxX → the right end of the plot. */
  x(t: number): number;
  /** Pixel y of a value: 0 → the x axis, maxY → the top margin. */
  y(v: number): number;
  /** The `<svg …>` opening tag, background, title, axes, ticks and labels; push marks after them, then `</svg>`. */
  readonly parts: string[];
}

/** Escapes text for an SVG text node. */
export function escapeSvg(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const TICKS = 5;

/** The chart's frame and mappings; throws when a maximum is not finite and positive (nothing to scale by). */
export function svgAxes(f: ChartFrame, o: AxesOptions): Axes {
  if (!(o.maxX > 0 && Number.isFinite(o.maxX)) || !(o.maxY > 0 && Number.isFinite(o.maxY))) {
    throw new Error(`svgAxes: maxX and maxY must be finite and > 0 (got ${o.maxX}, ${o.maxY})`);
  }
  const { width: W, height: H, left: L, right: R, top: T, bottom: B } = f;
  const x = (t: number): number => L + (t / o.maxX) * (W - L - R);
  const y = (v: number): number => H - B - (v / o.maxY) * (H - T - B);
  const px = (v: number): string => v.toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    ...o.title.map((t, i) => `<text x="${L}" y="${16 + 14 * i}"${i === 0 ? ' font-size="14"' : ''}>${escapeSvg(t)}</text>`),
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
  ];
  for (let i = 0; i <= TICKS; i++) {
    const v = (o.maxY * i) / TICKS;
    const t = Math.round((o.maxX * i) / TICKS);
    parts.push(`<text x="${L - 6}" y="${px(y(v) + 4)}" text-anchor="end">${v.toFixed(1)}</text><line x1="${L}" y1="${px(y(v))}" x2="${W - R}" y2="${px(y(v))}" stroke="#eee"/>`);
    parts.push(`<text x="${px(x(t))}" y="${H - B + 16}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${escapeSvg(o.xLabel)}</text>`);
  parts.push(`<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">${escapeSvg(o.yLabel)}</text>`);
  return { x, y, parts };
}
