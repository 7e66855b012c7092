import { useId } from "react";

/**
 * Rater drift: each rater's severity (mean of their item score minus the final score) per calendar month, as an
 * SVG line chart around a zero line (above: more lenient than the final rating, below: harsher). Raters differ by
 * line style and marker shape as well as colour. The table after it holds the same figures.
 */
export type DriftSeries = { raterId: string; name: string; points: { period: string; severity: number; itemScores: number }[] };

const SIZE = { width: 640, height: 300, left: 48, right: 16, top: 16, bottom: 40 } as const;
const STYLES = [
  { colour: "#1d4ed8", dash: undefined, marker: "circle" },
  { colour: "#b45309", dash: "6 4", marker: "square" },
  { colour: "#047857", dash: "2 3", marker: "diamond" },
  { colour: "#7c3aed", dash: "10 3 2 3", marker: "triangle" },
  { colour: "#be123c", dash: "4 2", marker: "circle" },
  { colour: "#374151", dash: "8 2", marker: "square" },
] as const;
const round = (n: number) => Math.round(n * 10) / 10;

export const styleOf = (i: number) => STYLES[i % STYLES.length] as (typeof STYLES)[number];

function Marker({ kind, x, y, colour }: { kind: string; x: number; y: number; colour: string }) {
  if (kind === "square") return <rect x={round(x - 4)} y={round(y - 4)} width="8" height="8" fill={colour} />;
  if (kind === "diamond")
    return <polygon points={`${x},${round(y - 5)} ${round(x + 5)},${y} ${x},${round(y + 5)} ${round(x - 5)},${y}`} fill={colour} />;
  if (kind === "triangle")
    return <polygon points={`${x},${round(y - 5)} ${round(x + 5)},${round(y + 4)} ${round(x - 5)},${round(y + 4)}`} fill={colour} />;
  return <circle cx={x} cy={y} r="4" fill={colour} />;
}

export function DriftChart({ series, periods, title }: { series: DriftSeries[]; periods: string[]; title: string }) {
  const id = useId();
  const all = series.flatMap((s) => s.points.map((p) => Math.abs(p.severity)));
  const span = Math.max(1, Math.ceil(Math.max(0, ...all) * 2) / 2);
  const w = SIZE.width - SIZE.left - SIZE.right;
  const h = SIZE.height - SIZE.top - SIZE.bottom;
  const x = (i: number) => round(SIZE.left + (periods.length <= 1 ? w / 2 : (i / (periods.length - 1)) * w));
  const y = (v: number) => round(SIZE.top + h / 2 - (v / span) * (h / 2));
  const column = new Map(periods.map((p, i) => [p, i]));
  const ticks = [-span, -span / 2, 0, span / 2, span];
  const description = series.length
    ? series
        .map((s) => {
          const last = s.points[s.points.length - 1];
          return last ? `${s.name}: ${last.severity >= 0 ? "+" : ""}${last.severity.toFixed(2)} in ${last.period}` : `${s.name}: no data`;
        })
        .join("; ")
    : "No final-rated recordings yet.";
  return (
    <figure className="drift-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${SIZE.width} ${SIZE.height}`}
        width="100%"
        fontFamily="system-ui, sans-serif"
        fontSize="12"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={SIZE.left} x2={SIZE.width - SIZE.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? "#374151" : "#e5e7eb"} />
            <text x={SIZE.left - 6} y={y(t) + 4} textAnchor="end" fill="#374151">
              {t > 0 ? `+${t}` : t}
            </text>
          </g>
        ))}
        {periods.map((p, i) => (
          <text key={p} x={x(i)} y={SIZE.height - SIZE.bottom + 16} textAnchor="middle" fill="#374151">
            {p}
          </text>
        ))}
        <text x={SIZE.left} y={SIZE.top - 4} fill="#4b5563">
          lenient ↑ / harsh ↓ (points from the final rating)
        </text>
        {series.map((s, i) => {
          const style = styleOf(i);
          const pts = s.points.flatMap((p) => {
            const c = column.get(p.period);
            return c === undefined ? [] : [{ cx: x(c), cy: y(p.severity), period: p.period }];
          });
          return (
            <g key={s.raterId} data-rater={s.raterId}>
              {pts.length > 1 ? (
                <polyline
                  points={pts.map((p) => `${p.cx},${p.cy}`).join(" ")}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth="2"
                  strokeDasharray={style.dash}
                />
              ) : null}
              {pts.map((p) => (
                <Marker key={p.period} kind={style.marker} x={p.cx} y={p.cy} colour={style.colour} />
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend">
        {series.map((s, i) => (
          <li key={s.raterId}>
            <svg width="30" height="12" aria-hidden="true">
              <line x1="0" x2="30" y1="6" y2="6" stroke={styleOf(i).colour} strokeWidth="2" strokeDasharray={styleOf(i).dash} />
            </svg>{" "}
            {s.name} ({styleOf(i).marker} markers)
          </li>
        ))}
      </ul>
      {series.length ? (
        <div className="table-wrap">
          <table>
            <caption>{title}: severity by month (rater minus final, item scores averaged)</caption>
            <thead>
              <tr>
                <th scope="col">Rater</th>
                {periods.map((p) => (
                  <th key={p} scope="col">
                    {p}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <tr key={s.raterId}>
                  <th scope="row">{s.name}</th>
                  {periods.map((p) => {
                    const point = s.points.find((q) => q.period === p);
                    return (
                      <td key={p}>
                        {point ? (
                          <>
                            {point.severity >= 0 ? "+" : ""}
                            {point.severity.toFixed(2)} <span className="muted">({point.itemScores})</span>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}
