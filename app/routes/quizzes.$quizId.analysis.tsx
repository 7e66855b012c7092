import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { TrustedHtml } from "#app/components/trusted-html";
import { getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { analyseItems, MIN_GROUP_SIZE } from "#app/domain/quiz/analysis";
import { allQuestions } from "#app/domain/quiz/schema";
import { completedAttempts } from "#app/models/quiz.server";

export const meta: MetaFunction = () => [{ title: "Item analysis — Attune" }];

/**
 * Item analysis over the completed attempts of trainees in the cohorts the
 * viewer trains (administrators: every attempt). Items answered by fewer than
 * MIN_GROUP_SIZE of those attempts show no figures.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "quiz:analyse");
  const quiz = args.params.quizId ? await getQuiz(args.params.quizId) : null;
  if (!quiz) throw new Response("Not found", { status: 404 });
  const isAdmin = user.roles.includes("ADMIN");
  const attempts = await completedAttempts(getDb(), { id: user.id, isAdmin }, quiz.id, quiz.version);
  const questions = allQuestions(quiz);
  const stats = analyseItems(questions, attempts, { minGroup: MIN_GROUP_SIZE });
  return {
    quizId: quiz.id,
    title: quiz.title,
    version: quiz.version,
    scope: isAdmin ? ("all" as const) : ("own-cohorts" as const),
    minGroup: MIN_GROUP_SIZE,
    attempts: attempts.length,
    items: stats.map((s, i) => ({ ...s, promptHtml: questions[i]?.prompt ?? "" })),
  };
}

const FLAG_TEXT: Record<string, string> = {
  "too-easy": "too easy",
  "too-hard": "too hard",
  "negative-discrimination": "discriminates negatively",
  "weak-discrimination": "discriminates weakly",
  "too-few-responses": "too few responses",
};

/** A horizontal bar (SVG, so no inline styles are needed under the CSP). */
function Bar({ value, label }: { value: number | null; label: string }) {
  const v = value === null ? 0 : Math.max(-1, Math.min(1, value));
  const width = Math.round(Math.abs(v) * 100);
  return (
    <svg className="bar" viewBox="0 0 200 14" width="200" height="14" role="img" aria-label={`${label}: ${value ?? "no data"}`}>
      <line x1="100" y1="0" x2="100" y2="14" className="bar__axis" />
      <rect x={v >= 0 ? 100 : 100 - width} y="2" width={width} height="10" className={v >= 0 ? "bar__pos" : "bar__neg"} />
    </svg>
  );
}

export default function ItemAnalysis() {
  const a = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/marking">← Marking</Link>
      </p>
      <h1>Item analysis: {a.title}</h1>
      <p>
        Version {a.version}, {a.attempts} completed {a.attempts === 1 ? "attempt" : "attempts"}. Facility is the mean share of marks earned;
        discrimination is facility in the top 27 % of attempts minus the bottom 27 %.{" "}
        {a.scope === "all" ? "All cohorts' attempts are included." : "Only attempts by trainees in the cohorts you train are included."}
      </p>
      <p className="alert" role="note">
        To protect individual trainees, figures are not shown for a question answered by fewer than {a.minGroup} attempts.
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">Responses</th>
              <th scope="col">Facility</th>
              <th scope="col">Discrimination</th>
              <th scope="col">Choices</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {a.items.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <span className="muted">
                    {item.id} · {item.type}
                  </span>
                  <TrustedHtml className="analysis-prompt" html={item.promptHtml} />
                </th>
                <td>{item.responses}</td>
                <td>
                  {item.facility ?? "—"}
                  {item.suppressed ? null : <Bar value={item.facility} label="Facility" />}
                </td>
                <td>
                  {item.discrimination ?? "—"}
                  {item.suppressed ? null : <Bar value={item.discrimination} label="Discrimination" />}
                </td>
                <td>
                  {item.suppressed ? (
                    <span className="muted">not shown: fewer than {a.minGroup} responses</span>
                  ) : item.choices.length ? (
                    <ul className="choice-counts">
                      {item.choices.map((c) => (
                        <li key={c.id}>
                          {c.correct ? "✓ " : ""}
                          {c.id}: {c.count}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  {item.flags.map((f) => (
                    <span key={f} className={`badge ${f === "too-few-responses" ? "" : "badge--warn"}`}>
                      {FLAG_TEXT[f]}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
