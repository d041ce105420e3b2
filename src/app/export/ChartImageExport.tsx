// "Save chart": pick one of the drawn charts of this tab and download it as SVG or PNG (chart-image.ts).
import { useRef, useState } from 'react';
import { chartSvg, svgToPng } from './chart-image.ts';
import { download } from './download.ts';

function charts(root: Element | null): Element[] {
  const panel = root?.closest('[role="tabpanel"]') ?? document;
  return [...panel.querySelectorAll('figure.metric-chart')];
}

function stem(title: string): string {
  return title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'chart';
}

export function ChartImageExport() {
  const ref = useRef<HTMLSpanElement>(null);
  const [titles, setTitles] = useState<string[]>([]);
  const [chosen, setChosen] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => setTitles(charts(ref.current).map((f) => f.querySelector('figcaption h3')?.textContent ?? 'chart'));

  const save = async (format: 'svg' | 'png') => {
    setProblem(null);
    const figure = charts(ref.current)[chosen];
    const image = figure ? chartSvg(figure) : null;
    if (!image) return setProblem('That chart has nothing drawn yet.');
    const name = `${stem(titles[chosen] ?? 'chart')}.${format}`;
    try {
      if (format === 'svg') download(name, image.svg, 'image/svg+xml');
      else download(name, await svgToPng(image), 'image/png');
    } catch (e) {
      setProblem(`Could not save the chart: ${(e as Error).message}`);
    }
  };

  return (
    <span className="chart-image-export" ref={ref} onFocus={refresh} onPointerEnter={refresh}>
      <label>
        Save chart{' '}
        <select value={chosen} onChange={(e) => setChosen(Number(e.target.value))} aria-label="Chart to save">
          {titles.map((t, i) => (
            <option key={`${t}-${i}`} value={i}>
              {t}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" onClick={() => void save('svg')}>
        SVG
      </button>{' '}
      <button type="button" onClick={() => void save('png')}>
        PNG
      </button>
      {problem && <span role="alert">{problem}</span>}
    </span>
  );
}
