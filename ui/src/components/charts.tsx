/** Plain SVG charts: a 24 h sparkline (succeeded vs failed) and a bar chart per metric. */

export function Sparkline({ succeeded, failed, width = 120, height = 28, label }: { succeeded: number[]; failed: number[]; width?: number; height?: number; label: string }) {
  const n = Math.max(succeeded.length, failed.length, 1);
  const max = Math.max(1, ...succeeded.map((v, i) => v + (failed[i] ?? 0)));
  const gap = 1;
  const w = Math.max(1, width / n - gap);
  const total = succeeded.reduce((a, b) => a + b, 0) + failed.reduce((a, b) => a + b, 0);
  return (
    <svg class="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} class="spark-base" />
      {total === 0
        ? null
        : Array.from({ length: n }, (_, i) => {
            const ok = succeeded[i] ?? 0;
            const bad = failed[i] ?? 0;
            const hOk = (ok / max) * (height - 2);
            const hBad = (bad / max) * (height - 2);
            const x = i * (w + gap);
            return (
              <g key={i}>
                {hOk > 0 ? <rect x={x} y={height - 1 - hOk} width={w} height={Math.max(hOk, 1)} class="spark-ok" /> : null}
                {hBad > 0 ? <rect x={x} y={height - 1 - hOk - hBad} width={w} height={Math.max(hBad, 1)} class="spark-bad" /> : null}
              </g>
            );
          })}
    </svg>
  );
}

function niceMax(v: number): number {
  if (v <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function formatLabel(iso: string, interval: 'hour' | 'day'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return interval === 'hour' ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** A bar chart for one series over time buckets, with a y axis, sparse x labels and hover titles. */
export function BarChart({ labels, values, interval, tone, name }: { labels: string[]; values: number[]; interval: 'hour' | 'day'; tone: 'ok' | 'bad' | 'neutral' | 'warn'; name: string }) {
  const width = 560;
  const height = 160;
  const left = 36;
  const bottom = 22;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - bottom - top;
  const max = niceMax(Math.max(0, ...values));
  const n = Math.max(values.length, 1);
  const step = plotW / n;
  const barW = Math.max(1, Math.min(24, step * 0.7));
  const ticks = [0, max / 2, max];
  const every = Math.max(1, Math.ceil(n / 6));
  return (
    <svg class={`chart chart-${tone}`} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${name} per ${interval}`} preserveAspectRatio="xMidYMid meet">
      {ticks.map((t) => {
        const y = top + plotH - (t / max) * plotH;
        return (
          <g key={t}>
            <line x1={left} x2={width - 8} y1={y} y2={y} class="chart-grid" />
            <text x={left - 6} y={y + 4} text-anchor="end" class="chart-tick">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        );
      })}
      {values.map((v, i) => {
        const h = (v / max) * plotH;
        const x = left + i * step + (step - barW) / 2;
        return (
          <g key={i}>
            <rect x={left + i * step} y={top} width={step} height={plotH} class="chart-hover" >
              <title>{`${formatLabel(labels[i] ?? '', interval)}: ${v} ${name}`}</title>
            </rect>
            {v > 0 ? <rect x={x} y={top + plotH - h} width={barW} height={Math.max(h, 1)} class="chart-bar" pointer-events="none" /> : null}
          </g>
        );
      })}
      {labels.map((l, i) =>
        i % every === 0 ? (
          <text key={l} x={left + i * step + step / 2} y={height - 6} text-anchor="middle" class="chart-tick">
            {formatLabel(l, interval)}
          </text>
        ) : null,
      )}
    </svg>
  );
}
