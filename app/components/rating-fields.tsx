import { NOTE_MAX } from "#app/domain/rating-form";

/** A framework item as the rating pages show it (plain text, from the framework file). */
export type ItemView = {
  id: string;
  title: string;
  domain: string;
  description: string;
  keyFeatures: string[];
  /** One descriptor per scale point, low to high. */
  levels: { point: number; text: string }[];
};

export type ScaleView = { min: number; max: number; anchors: { point: number; text: string }[] };

/**
 * One item of the rating form: its title, description and key features, a
 * radio group with every scale point and its level descriptor (so the
 * descriptors are always at hand), and an optional note. Plain HTML: works
 * without JavaScript. Field names `score.<id>` and `note.<id>`.
 */
export function ItemScoreFields({
  item,
  score,
  note,
  error,
  allowUnscored,
}: {
  item: ItemView;
  score: number | null;
  note: string;
  error?: string;
  /** Offer "Not scored yet" (a draft may leave an item open). */
  allowUnscored: boolean;
}) {
  const id = `field-score.${item.id}`;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [`${id}-description`, errorId].filter(Boolean).join(" ");
  return (
    <fieldset className="rating-item" id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
      <legend>
        {item.title} <span className="muted">({item.domain})</span>
      </legend>
      <p className="hint" id={`${id}-description`}>
        {item.description}
      </p>
      <details className="rating-features">
        <summary>Key features of {item.title}</summary>
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
      <div className="checks rating-levels">
        {allowUnscored ? (
          <label>
            <input type="radio" name={`score.${item.id}`} value="" defaultChecked={score === null} />
            <span className="muted">Not scored yet</span>
          </label>
        ) : null}
        {item.levels.map((level) => (
          <label key={level.point}>
            <input type="radio" name={`score.${item.id}`} value={String(level.point)} defaultChecked={score === level.point} />
            <span>
              <strong className="rating-point">{level.point}</strong> {level.text}
            </span>
          </label>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`field-note.${item.id}`}>Notes on {item.title} (optional)</label>
        <textarea id={`field-note.${item.id}`} name={`note.${item.id}`} rows={2} maxLength={NOTE_MAX} defaultValue={note} />
      </div>
    </fieldset>
  );
}

export type ScoreRow = { itemId: string; title: string; score: number | null; descriptor: string | null; note?: string };

/** A rating item by item, read-only: score and level descriptor per item (a table, for screen readers too). */
export function ScoreTable({
  caption,
  rows,
  scale,
  captionId,
}: {
  caption: string;
  rows: readonly ScoreRow[];
  scale: ScaleView;
  captionId?: string;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="score-table">
        <caption id={captionId}>
          {caption}{" "}
          <span className="muted">
            (scale {scale.min}–{scale.max})
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Score</th>
            <th scope="col">Level</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.itemId}>
              <th scope="row">{r.title}</th>
              <td>{r.score ?? "—"}</td>
              <td>
                {r.descriptor ?? ""}
                {r.note ? <p className="muted rating-note">{r.note}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
