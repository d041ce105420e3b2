// A drawn chart as a standalone image: its SVG cloned with the computed styles written onto each element (the
// page styles charts with CSS classes, which a file on its own would not have), a white background and the
// chart's title; and that SVG rasterised to PNG through a canvas at twice the size, for slides.
const STYLE_PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility',
] as const;
/** Font properties matter only on text (and would bloat every other element). */
const TEXT_PROPS = new Set<string>(['font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline']);
const SVG_NS = 'http://www.w3.org/2000/svg';
const TITLE_HEIGHT = 24;

export interface ChartImage {
  svg: string;
  width: number;
  height: number;
}

/** The chart in `figure` (a MetricChart) as SVG text; null when it has no drawn plot. */
export function chartSvg(figure: Element): ChartImage | null {
  const plot = figure.querySelector('svg.plot-surface');
  if (!(plot instanceof SVGSVGElement)) return null;
  const width = plot.width.baseVal.value || plot.getBoundingClientRect().width;
  const height = plot.height.baseVal.value || plot.getBoundingClientRect().height;
  if (!width || !height) return null;
  const clone = plot.cloneNode(true) as SVGSVGElement;
  const from = [plot, ...plot.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i] as SVGElement;
    const isText = el.tagName.toLowerCase() === 'text';
    for (const p of STYLE_PROPS) {
      if (!isText && TEXT_PROPS.has(p)) continue;
      const v = style.getPropertyValue(p);
      if (v) target.style.setProperty(p, v);
    }
    target.removeAttribute('class');
  });
  // Hover marks are not part of the chart.
  clone.querySelectorAll('.plot-hover').forEach((n) => n.remove());
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height + TITLE_HEIGHT));
  out.setAttribute('viewBox', `0 0 ${width} ${height + TITLE_HEIGHT}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.append(bg);
  const title = document.createElementNS(SVG_NS, 'text');
  title.setAttribute('x', '8');
  title.setAttribute('y', '17');
  title.setAttribute('font-family', 'system-ui, sans-serif');
  title.setAttribute('font-size', '14');
  title.setAttribute('font-weight', '600');
  title.textContent = figure.querySelector('figcaption h3')?.textContent ?? '';
  out.append(title);
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('transform', `translate(0 ${TITLE_HEIGHT})`);
  clone.removeAttribute('role');
  clone.removeAttribute('tabindex');
  g.append(...clone.childNodes);
  out.append(g);
  return { svg: new XMLSerializer().serializeToString(out), width, height: height + TITLE_HEIGHT };
}

/** The SVG drawn onto a canvas at `scale` and encoded as PNG. */
export async function svgToPng({ svg, width, height }: ChartImage, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gave no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
