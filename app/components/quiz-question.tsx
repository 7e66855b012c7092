import { TrustedHtml } from "#app/components/trusted-html";
import type { Answer } from "#app/domain/quiz/answers";
import { IPAF_PART_LABELS, IPAF_PARTS, type IpafPart } from "#app/domain/quiz/schema";
import type { PublicQuestion, ReviewedQuestion } from "#app/domain/quiz/view";

function InlineHtml({ html }: { html: string }) {
  return <TrustedHtml html={html} inline />;
}

const asRecord = (a: Answer | undefined | null): Record<string, string> => (a && typeof a === "object" && !Array.isArray(a) ? a : {});
const asList = (a: Answer | undefined | null): string[] => (Array.isArray(a) ? a : typeof a === "string" ? [a] : []);

/** One question as a plain form control group: works without JavaScript. */
export function QuizQuestionField({ q, answer, error }: { q: PublicQuestion; answer?: Answer; error?: string }) {
  const name = `q.${q.id}`;
  const legendId = `${q.id}-legend`;
  const errorId = error ? `${q.id}-error` : undefined;
  return (
    <fieldset className="quiz-question" aria-describedby={errorId} id={`question-${q.id}`}>
      <legend id={legendId}>
        <span className="quiz-question__number">Question {q.number}</span>{" "}
        <span className="muted">
          ({q.points} {q.points === 1 ? "mark" : "marks"}
          {q.type === "short-text" || q.type === "ipaf" ? ", marked by a trainer" : ""})
        </span>
      </legend>
      <TrustedHtml className="quiz-question__prompt" html={q.promptHtml} />
      {q.type === "single" || q.type === "true-false" ? (
        <div className="checks">
          {(q.type === "true-false"
            ? [
                { id: "true", html: "True" },
                { id: "false", html: "False" },
              ]
            : (q.options ?? [])
          ).map((o) => (
            <label key={o.id}>
              <input type="radio" name={name} value={o.id} defaultChecked={answer === o.id} />
              <InlineHtml html={o.html} />
            </label>
          ))}
        </div>
      ) : null}
      {q.type === "multiple" ? (
        <div className="checks">
          <p className="hint">Select all that apply.</p>
          {(q.options ?? []).map((o) => (
            <label key={o.id}>
              <input type="checkbox" name={name} value={o.id} defaultChecked={asList(answer).includes(o.id)} />
              <InlineHtml html={o.html} />
            </label>
          ))}
        </div>
      ) : null}
      {q.type === "ordering" ? (
        <>
          <p className="hint">Give each item its position (1 = first).</p>
          <ol className="quiz-order">
            {(q.items ?? []).map((item) => (
              <li key={item.id}>
                <label>
                  <select name={`${name}.${item.id}`} defaultValue={asRecord(answer)[item.id] ?? ""}>
                    <option value="">Position…</option>
                    {(q.items ?? []).map((_, i) => (
                      <option key={String(i + 1)} value={String(i + 1)}>
                        {i + 1}
                      </option>
                    ))}
                  </select>{" "}
                  <InlineHtml html={item.html} />
                </label>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {q.type === "matching" ? (
        <table className="quiz-match">
          <tbody>
            {(q.pairs ?? []).map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <label htmlFor={`${q.id}-${p.id}`}>
                    <InlineHtml html={p.html} />
                  </label>
                </th>
                <td>
                  <select id={`${q.id}-${p.id}`} name={`${name}.${p.id}`} defaultValue={asRecord(answer)[p.id] ?? ""}>
                    <option value="">Choose…</option>
                    {(q.labels ?? []).map((l) => (
                      <option key={l} value={l}>
                        {l}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {q.type === "short-text" ? (
        <label className="quiz-text">
          Your answer
          <textarea name={name} rows={5} maxLength={5000} defaultValue={typeof answer === "string" ? answer : ""} />
        </label>
      ) : null}
      {q.type === "ipaf" ? (
        <div className="quiz-ipaf">
          {(q.parts ?? []).map((part) => (
            <label key={part} className="quiz-text">
              {IPAF_PART_LABELS[part as IpafPart] ?? part}
              <textarea name={`${name}.${part}`} rows={3} maxLength={5000} defaultValue={asRecord(answer)[part] ?? ""} />
            </label>
          ))}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * A question after submission, at the review level the server allowed: "own"
 * judges only the person's own answers; "full" adds the key and explanations.
 */
export function QuizQuestionReview({ q }: { q: ReviewedQuestion }) {
  const record = asRecord(q.answer);
  return (
    <section className="quiz-question quiz-review" aria-labelledby={`review-${q.id}`}>
      <h3 id={`review-${q.id}`}>
        Question {q.number}{" "}
        <span className="muted">
          {q.score.pending ? "awaiting marking" : `${q.score.points} of ${q.score.max} ${q.score.max === 1 ? "mark" : "marks"}`}
        </span>
      </h3>
      <TrustedHtml className="quiz-question__prompt" html={q.promptHtml} />
      {q.choices ? (
        <ul className="quiz-choices">
          {q.choices.map((c) => (
            <li key={c.id} className={`${c.correct ? "is-correct" : ""} ${c.chosen ? "is-chosen" : ""}`}>
              <InlineHtml html={c.html} /> {c.chosen ? <strong>(your answer)</strong> : null}{" "}
              {c.correct === true ? <strong>✓ correct</strong> : null}
              {c.chosen && c.correct === false ? <strong>✗ not correct</strong> : null}
              {c.feedbackHtml && (c.chosen || c.correct) ? <TrustedHtml className="quiz-feedback" html={c.feedbackHtml} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {q.type === "ordering" && !q.correctOrder ? (
        <div>
          <p>Your order:</p>
          <ul>
            {(q.items ?? []).map((item) => (
              <li key={item.id}>
                <InlineHtml html={item.html} /> <span className="muted">(you put it at {record[item.id] ?? "—"})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {q.correctOrder ? (
        <div>
          <p>The order:</p>
          <ol>
            {q.correctOrder.map((id) => {
              const item = q.items?.find((i) => i.id === id);
              return (
                <li key={id}>
                  <InlineHtml html={item?.html ?? id} /> <span className="muted">(you put it at {record[id] ?? "—"})</span>
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
      {q.type === "matching" && !q.correctMatches ? (
        <ul>
          {(q.pairs ?? []).map((p) => (
            <li key={p.id}>
              <InlineHtml html={p.html} /> → {record[p.id] ?? "nothing chosen"}{" "}
              {q.matched?.[p.id] === true ? (
                <strong>✓ correct</strong>
              ) : q.matched?.[p.id] === false ? (
                <strong>✗ not correct</strong>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {q.correctMatches ? (
        <ul>
          {(q.pairs ?? []).map((p) => (
            <li key={p.id}>
              <InlineHtml html={p.html} /> → <strong>{q.correctMatches?.[p.id]}</strong>{" "}
              <span className="muted">(you chose {record[p.id] ?? "nothing"})</span>
            </li>
          ))}
        </ul>
      ) : null}
      {q.type === "short-text" ? <p className="journal-entry__text">{typeof q.answer === "string" ? q.answer : "No answer."}</p> : null}
      {q.type === "ipaf" ? (
        <dl className="facts">
          {IPAF_PARTS.map((part) => (
            <div key={part}>
              <dt>{IPAF_PART_LABELS[part as IpafPart]}</dt>
              <dd>{record[part] ?? "—"}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {q.modelAnswer ? (
        <div className="quiz-feedback">
          <p>
            <strong>Model answer</strong>
          </p>
          {typeof q.modelAnswer === "string" ? (
            <TrustedHtml html={q.modelAnswer} />
          ) : (
            Object.entries(q.modelAnswer).map(([part, html]) => (
              <div key={part}>
                <strong>{IPAF_PART_LABELS[part as IpafPart] ?? part}:</strong> <TrustedHtml html={html} />
              </div>
            ))
          )}
        </div>
      ) : null}
      {q.markerFeedback ? (
        <div className="quiz-feedback">
          <strong>Trainer's feedback:</strong> <p className="journal-entry__text">{q.markerFeedback}</p>
        </div>
      ) : null}
      {q.explanationHtml ? <TrustedHtml className="quiz-feedback" html={q.explanationHtml} /> : null}
    </section>
  );
}
