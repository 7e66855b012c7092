import { type Framework, scalePoints } from "#app/domain/framework";
import type { PhaseId } from "#app/domain/phases";
import { applicableItems } from "#app/domain/rating-rules";

/**
 * The item scores of a rating against a competence framework, as plain form fields: one fieldset per applicable
 * item, with its description and key features, and one radio per scale point labelled with that level's
 * descriptor (the descriptors at hand while scoring). Field names `score.<itemId>`. Works without JavaScript;
 * each error is tied to its fieldset for assistive technology.
 */
export type ScoreFieldItem = {
  id: string;
  title: string;
  description: string;
  keyFeatures: string[];
  /** [scale point, descriptor], in scale order. */
  levels: [number, string][];
};

export const scoreFieldName = (itemId: string) => `score.${itemId}`;

/** Reads `score.<itemId>` fields: a whole number, or null when empty; anything else is kept as NaN (an error). */
export function readScores(values: Record<string, unknown>, itemIds: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const id of itemIds) {
    const raw = values[scoreFieldName(id)];
    const text = typeof raw === "string" ? raw.trim() : "";
    out[id] = text === "" ? null : /^-?\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  }
  return out;
}

export function ScoreFields({
  items,
  values = {},
  errors = {},
}: {
  items: ScoreFieldItem[];
  values?: Record<string, number | null | undefined>;
  errors?: Record<string, string>;
}) {
  return (
    <div className="score-fields">
      {items.map((item, n) => {
        const error = errors[item.id];
        const errorId = `score-${item.id}-error`;
        const descId = `score-${item.id}-desc`;
        return (
          <fieldset
            key={item.id}
            className="score-item"
            aria-describedby={error ? `${descId} ${errorId}` : descId}
            id={`field-score-${item.id}`}
          >
            <legend>
              {n + 1}. {item.title}
            </legend>
            <p id={descId} className="hint">
              {item.description}
            </p>
            <details>
              <summary>Key features</summary>
              <ul>
                {item.keyFeatures.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </details>
            {error ? (
              <p className="field-error" id={errorId}>
                {error}
              </p>
            ) : null}
            <ul className="score-levels">
              {item.levels.map(([point, descriptor]) => (
                <li key={point}>
                  <label>
                    <input
                      type="radio"
                      name={scoreFieldName(item.id)}
                      value={point}
                      defaultChecked={values[item.id] === point}
                      aria-invalid={error ? true : undefined}
                    />{" "}
                    <strong>{point}</strong> — {descriptor}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
    </div>
  );
}

/** The applicable items of a framework for a phase, as ScoreFields wants them. */
export function scoreFieldItems(framework: Framework, phase: PhaseId | null): ScoreFieldItem[] {
  const points = scalePoints(framework);
  return applicableItems(framework, phase).map((item) => ({
    id: item.id,
    title: item.title,
    description: item.description,
    keyFeatures: item.keyFeatures,
    levels: points.map((p) => [p, item.levels[p] ?? ""] as [number, string]),
  }));
}

/** Errors keyed by item id, as ErrorSummary wants them: linked to each item's fieldset, named by its title. */
export function scoreErrorSummary(items: readonly ScoreFieldItem[], errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => (k === "form" ? [k, v] : [`score-${k}`, `${items.find((i) => i.id === k)?.title ?? k}: ${v}`])),
  );
}
