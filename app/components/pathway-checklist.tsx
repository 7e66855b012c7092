import { Link } from "@remix-run/react";
import { STEP_STATE_LABELS } from "#app/domain/pathway";
import { CERTAINTY_LABELS, type ChecklistStep } from "#app/domain/pathway-view";

/** Marks that do not rely on colour: the state is always written out too. */
const SYMBOL = { met: "✓", "not-yet": "…", blocked: "✕" } as const;

/**
 * A pathway checklist: every step with its state in words, one line on where it
 * stands, what is still needed, and the evidence that meets it (linked where the
 * viewer may open it). Used by the trainee's own page and the supervisors' view.
 */
export function PathwayChecklist({ steps, who }: { steps: ChecklistStep[]; who: "you" | "they" }) {
  return (
    <ol className="checklist">
      {steps.map((s) => (
        <li key={s.id} className={`checklist__step checklist__step--${s.state}`} data-step={s.id} data-state={s.state}>
          <section aria-labelledby={`step-${s.id}`}>
            <h2 id={`step-${s.id}`}>
              <span aria-hidden="true" className="checklist__mark">
                {SYMBOL[s.state]}
              </span>{" "}
              {s.title} <span className={`badge badge--${s.state}`}>{STEP_STATE_LABELS[s.state]}</span>
            </h2>
            <p>{s.summary}</p>
            {s.missing.length > 0 ? (
              <>
                <h3>{s.state === "blocked" ? "What now" : who === "you" ? "Still needed" : "Still needed from them"}</h3>
                <ul>
                  {s.missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {s.evidence.length > 0 ? (
              <>
                <h3>{s.state === "met" ? "Met by" : "Counted so far"}</h3>
                <ul className="checklist__evidence">
                  {s.evidence.map((e) => (
                    <li key={`${e.kind}-${e.label}`}>
                      {e.href ? <Link to={e.href}>{e.label}</Link> : e.label}
                      {e.hash ? (
                        <span className="muted">
                          {" "}
                          <span className="visually-hidden">SHA-256 </span>
                          <code title={`SHA-256 ${e.hash}`}>{e.hash.slice(0, 12)}</code>
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <details>
              <summary>
                Where this step comes from<span className="visually-hidden">: {s.title}</span>
              </summary>
              <p>
                <strong>{CERTAINTY_LABELS[s.certainty]}.</strong> {s.basis}
              </p>
            </details>
          </section>
        </li>
      ))}
    </ol>
  );
}
