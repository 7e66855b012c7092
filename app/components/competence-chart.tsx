import { useId } from "react";

/**
 * A trainee's competence profile: for each framework item, its final score across their rated recordings in time
 * order, as small multiples (one small SVG line chart per item, plain markup, no script), with the framework's
 * competence line; then the same figures as one table, which is what screen readers and keyboard users get.
 * An item that did not apply to a recording's phase has no point there (and "n/a" in the table).
 */
export type ProfileColumn = { key: string; label: string; date: string; competent: boolean | null; mean: number | null };
export type ProfileItem = { id: string; title: string; scores: (number | null)[] };

export type CompetenceChartProps = {
  title: string;
  scale: { min: number; max: number };
  /** Competent when the mean is at least this; drawn as a dashed line in every small chart. */
  line: number;
  /** No applicable item may be below this (null: no floor). */
  floor: number | null;
  columns: ProfileColumn[];
  items: ProfileItem[];
};

const SMALL = { width: 220, height: 110, left: 24, right: 8, top: 8, bottom: 20 } as const;
const round = (n: number) => Math.round(n * 10) / 10;

export function smallScales(count: number, scale: { min: number; max: number }) {
  const w = SMALL.width - SMALL.left - SMALL.right;
  const h = SMALL.height - SMALL.top - SMALL.bottom;
  return {
    x: (i: number) => round(SMALL.left + (count <= 1 ? w / 2 : (i / (count - 1)) * w)),
    y: (v: number) => round(SMALL.top + h - ((v - scale.min) / (scale.max - scale.min)) * h),
  };
}

function ItemChart({ item, columns, scale, line, floor }: { item: ProfileItem } & Omit<CompetenceChartProps, "title" | "items">) {
  const id = useId();
  const { x, y } = smallScales(columns.length, scale);
  const points = item.scores.flatMap((s, i) => (s === null ? [] : [{ i, s }]));
  const first = points[0];
  const last = points[points.length - 1];
  const description =
    first && last
      ? `${points.length} scored recording${points.length === 1 ? "" : "s"}: ${first.s} on ${columns[first.i]?.date} to ${last.s} on ${columns[last.i]?.date}.`
      : "Not scored yet: the item did not apply to the recordings rated so far.";
  const bottom = SMALL.height - SMALL.bottom;
  return (
    <figure className="competence-item">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${SMALL.width} ${SMALL.height}`}
        width="100%"
        fontFamily="system-ui, sans-serif"
        fontSize="10"
      >
        <title id={`${id}-t`}>{item.title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {floor !== null ? (
          <rect
            x={SMALL.left}
            y={y(floor)}
            width={SMALL.width - SMALL.left - SMALL.right}
            height={round(bottom - y(floor))}
            fill="#fef3c7"
          />
        ) : null}
        {[scale.min, line, scale.max].map((t) => (
          <text key={t} x={SMALL.left - 4} y={y(t) + 3} textAnchor="end" fill="#374151">
            {t}
          </text>
        ))}
        <line
          data-line="competent"
          x1={SMALL.left}
          x2={SMALL.width - SMALL.right}
          y1={y(line)}
          y2={y(line)}
          stroke="#047857"
          strokeDasharray="4 3"
        />
        <line x1={SMALL.left} x2={SMALL.left} y1={SMALL.top} y2={bottom} stroke="#374151" />
        <line x1={SMALL.left} x2={SMALL.width - SMALL.right} y1={bottom} y2={bottom} stroke="#374151" />
        {points.length > 1 ? (
          <polyline points={points.map((p) => `${x(p.i)},${y(p.s)}`).join(" ")} fill="none" stroke="#1d4ed8" strokeWidth="2" />
        ) : null}
        {points.map((p) => (
          <circle key={p.i} data-score={p.s} cx={x(p.i)} cy={y(p.s)} r="3.5" fill="#1d4ed8" />
        ))}
        {columns.length ? (
          <>
            <text x={x(0)} y={SMALL.height - 6} textAnchor="start" fill="#4b5563">
              {columns[0]?.date}
            </text>
            {columns.length > 1 ? (
              <text x={x(columns.length - 1)} y={SMALL.height - 6} textAnchor="end" fill="#4b5563">
                {columns[columns.length - 1]?.date}
              </text>
            ) : null}
          </>
        ) : null}
      </svg>
      <figcaption>{item.title}</figcaption>
    </figure>
  );
}

export function CompetenceChart({ title, scale, line, floor, columns, items }: CompetenceChartProps) {
  return (
    <section className="competence-chart" aria-label={title}>
      <p className="hint">
        Each chart shows one item's final score ({scale.min}–{scale.max}) across the rated recordings, oldest first. The dashed line is the
        competence line (a mean of {line}){floor !== null ? `; the shaded band is below the item floor of ${floor}` : ""}.
      </p>
      <div className="competence-grid">
        {items.map((item) => (
          <ItemChart key={item.id} item={item} columns={columns} scale={scale} line={line} floor={floor} />
        ))}
      </div>
      <div className="table-wrap">
        <table>
          <caption>{title}: the final scores</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                  <br />
                  <span className="muted">{c.date}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row">{item.title}</th>
                {item.scores.map((s, i) => (
                  <td key={columns[i]?.key ?? i}>{s === null ? <abbr title="not applicable to this session's phase">n/a</abbr> : s}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">Mean</th>
              {columns.map((c) => (
                <td key={c.key}>{c.mean === null ? "—" : c.mean.toFixed(2)}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">Outcome</th>
              {columns.map((c) => (
                <td key={c.key}>{c.competent === null ? "—" : c.competent ? "Competent" : "Not yet competent"}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}
