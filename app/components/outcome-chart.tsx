import { useId } from "react";
import {
  isCase,
  MEASURES,
  type MeasureId,
  NHS_TALKING_THERAPIES,
  type OutcomeDefinitions,
  type SessionScores,
  validateScores,
} from "#app/domain/outcomes";
import { DIT_STANDARD, type PhasePlan } from "#app/domain/phases";

/**
 * PHQ-9 and GAD-7 totals across a case's sessions: an SVG line chart (plain
 * markup, no script, styled by presentation attributes so it reads without CSS)
 * with each measure's caseness line and the DIT phases as bands, followed by the
 * same figures as a table, which is what screen readers and keyboard users get.
 * The measures differ by line style and marker shape as well as by colour.
 */
export type OutcomeChartProps = {
  scores: readonly SessionScores[];
  definitions?: OutcomeDefinitions;
  plan?: PhasePlan;
  /** The accessible name of the chart, e.g. "Outcome scores for case A". */
  title?: string;
};

export const CHART = { width: 640, height: 320, left: 44, right: 16, top: 16, bottom: 44 } as const;

const STYLE: Record<MeasureId, { colour: string; dash?: string; marker: "circle" | "square" }> = {
  phq9: { colour: "#1d4ed8", marker: "circle" },
  gad7: { colour: "#b45309", dash: "6 4", marker: "square" },
};

const round = (n: number) => Math.round(n * 10) / 10;

/** The chart's scales: sessions 1…n across, scores 0…the highest maximum up. */
export function chartScales(totalSessions: number, maxScore: number) {
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const span = Math.max(1, totalSessions - 1);
  return {
    x: (session: number) => round(CHART.left + ((session - 1) / span) * plotWidth),
    y: (score: number) => round(CHART.top + plotHeight - (score / maxScore) * plotHeight),
  };
}

export function OutcomeChart({
  scores,
  definitions = NHS_TALKING_THERAPIES,
  plan = DIT_STANDARD,
  title = "PHQ-9 and GAD-7 scores by session",
}: OutcomeChartProps) {
  const id = useId();
  const rows = validateScores(scores, definitions);
  const last = rows[rows.length - 1];
  const totalSessions = Math.max(plan.totalSessions, last?.session ?? 0);
  const maxScore = Math.max(...MEASURES.map((m) => definitions[m].max));
  const { x, y } = chartScales(totalSessions, maxScore);
  const phaseOfSession = (session: number) => plan.phases.find((p) => session >= p.firstSession && session <= p.lastSession)?.label ?? "—";
  const first = rows[0];
  const description =
    first && last
      ? `${MEASURES.map((m) => `${definitions[m].label} ${first[m]} at session ${first.session}, ${last[m]} at session ${last.session}`).join("; ")}. ` +
        `Caseness: ${MEASURES.map((m) => `${definitions[m].label} ${definitions[m].caseness} or more`).join(", ")}.`
      : "No scores recorded yet.";
  const yTicks = Array.from({ length: Math.floor(maxScore / 5) + 1 }, (_, i) => i * 5);
  const bottom = CHART.height - CHART.bottom;

  return (
    // Width is capped in app.css (.outcome-chart svg): inline styles are refused by our CSP.
    <figure className="outcome-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        width="100%"
        fontFamily="system-ui, sans-serif"
        fontSize="12"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {plan.phases.map((p, i) => {
          const from = x(Math.max(1, p.firstSession - 0.5));
          const to = x(Math.min(totalSessions, p.lastSession + 0.5));
          return (
            <g key={p.id} data-phase={p.id}>
              <rect x={from} y={CHART.top} width={round(to - from)} height={bottom - CHART.top} fill={i % 2 ? "#f3f4f6" : "#ffffff"} />
              <text x={round((from + to) / 2)} y={CHART.top + 12} textAnchor="middle" fill="#4b5563">
                {p.label}
              </text>
            </g>
          );
        })}
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(t)} y2={y(t)} stroke="#e5e7eb" />
            <text x={CHART.left - 6} y={y(t) + 4} textAnchor="end" fill="#374151">
              {t}
            </text>
          </g>
        ))}
        {Array.from({ length: totalSessions }, (_, i) => i + 1).map((s) => (
          <text key={s} x={x(s)} y={bottom + 16} textAnchor="middle" fill="#374151">
            {s}
          </text>
        ))}
        <text x={round((CHART.left + CHART.width - CHART.right) / 2)} y={CHART.height - 6} textAnchor="middle" fill="#111827">
          Session
        </text>
        <line x1={CHART.left} x2={CHART.left} y1={CHART.top} y2={bottom} stroke="#374151" />
        <line x1={CHART.left} x2={CHART.width - CHART.right} y1={bottom} y2={bottom} stroke="#374151" />
        {MEASURES.map((m) => {
          const def = definitions[m];
          const style = STYLE[m];
          return (
            <g key={m} data-measure={m}>
              <line
                data-caseness={m}
                x1={CHART.left}
                x2={CHART.width - CHART.right}
                y1={y(def.caseness)}
                y2={y(def.caseness)}
                stroke={style.colour}
                strokeDasharray="2 3"
              />
              <text x={CHART.width - CHART.right - 4} y={y(def.caseness) - 4} textAnchor="end" fill={style.colour}>
                {`${def.label} caseness (${def.caseness})`}
              </text>
              {rows.length > 1 ? (
                <polyline
                  points={rows.map((r) => `${x(r.session)},${y(r[m])}`).join(" ")}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth="2"
                  strokeDasharray={style.dash}
                />
              ) : null}
              {rows.map((r) =>
                style.marker === "circle" ? (
                  <circle key={r.session} data-session={r.session} cx={x(r.session)} cy={y(r[m])} r="4" fill={style.colour} />
                ) : (
                  <rect
                    key={r.session}
                    data-session={r.session}
                    x={round(x(r.session) - 4)}
                    y={round(y(r[m]) - 4)}
                    width="8"
                    height="8"
                    fill={style.colour}
                  />
                ),
              )}
            </g>
          );
        })}
        <g transform={`translate(${CHART.left + 8}, ${CHART.top + 28})`}>
          {MEASURES.map((m, i) => (
            <g key={m} transform={`translate(${i * 110}, 0)`}>
              <line x1="0" x2="24" y1="0" y2="0" stroke={STYLE[m].colour} strokeWidth="2" strokeDasharray={STYLE[m].dash} />
              <text x="30" y="4" fill="#111827">
                {definitions[m].label}
              </text>
            </g>
          ))}
        </g>
      </svg>
      {rows.length > 0 ? (
        <table className="outcome-chart__table">
          <caption>{title}: the scores</caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Phase</th>
              {MEASURES.map((m) => (
                <th key={m} scope="col">
                  {`${definitions[m].label} (0–${definitions[m].max})`}
                </th>
              ))}
              <th scope="col">At caseness</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.session}>
                <th scope="row">{r.session}</th>
                <td>{phaseOfSession(r.session)}</td>
                {MEASURES.map((m) => (
                  <td key={m}>{r[m]}</td>
                ))}
                <td>{isCase(r, definitions) ? "Yes" : "No"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No scores recorded yet.</p>
      )}
    </figure>
  );
}
