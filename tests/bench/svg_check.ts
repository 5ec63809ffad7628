// tests/bench/svg_check.ts — reading bench charts back in tests: tags balance (a well-formed document), and
// polyline points mapped back from pixels to data through the frame's inverse mapping.

import type { ChartFrame } from '../../bench/svg_axes.js';

/** Throws unless every element opened is closed in order (self-closing tags allowed), starting at <svg>. */
export function assertBalanced(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self === '/') continue;
    if (close === '/') {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      stack.push(name!);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
  if (!svg.startsWith('<svg ')) throw new Error('does not start with <svg>');
}

/** The data points of each `<polyline>`: pixels mapped back to (trial, value) for axes up to maxX, maxY. */
export function polylineData(svg: string, f: ChartFrame, maxX: number, maxY: number): [number, number][][] {
  return [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) =>
    m[1]!.split(' ').map((pt) => {
      const [px, py] = pt.split(',').map(Number) as [number, number];
      return [((px - f.left) / (f.width - f.left - f.right)) * maxX, ((f.height - f.bottom - py) / (f.height - f.top - f.bottom)) * maxY];
    }),
  );
}

/** Text contents of the `<text>` elements, in order. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}
