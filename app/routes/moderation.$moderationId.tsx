import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useRef, useState } from "react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { CommentTimeline } from "#app/components/comment-timeline";
import { ErrorSummary } from "#app/components/field";
import { ItemScoreFields } from "#app/components/rating-fields";
import { RecordingPlayer } from "#app/components/recording-player";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { frameworkLabel } from "#app/domain/framework";
import { RATER_ROLE_LABELS } from "#app/domain/rating-assignment";
import { FEEDBACK_MAX, itemTitles, itemView, RatingFormSchema, RationaleSchema, scaleView } from "#app/domain/rating-form";
import { applicableItems } from "#app/domain/rating-rules";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";
import { tellAboutRatings } from "#app/mail/rating-notices.server";
import { playerFor } from "#app/models/playback.server";
import { asPhase, moderationDetail, recordingLabel, settleModeration } from "#app/models/rating.server";
import { retentionPolicy } from "#app/storage/config.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Moderation: ${data?.label ?? "a recording"} — Attune` }];

/**
 * A disagreement between two raters (docs/rating.md, "Moderation"): both
 * submitted ratings side by side with the reasons they disagree, the raters'
 * notes and comments, the player, and the moderator's form for the final
 * rating with its rationale. A moderation exists only once both ratings are
 * submitted, so nothing here is ever shown to a rater before that. A moderator
 * who rated the recording sees it but cannot settle it.
 */
async function loadModeration(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "rating:moderate");
  const m = args.params.moderationId ? await moderationDetail(getDb(), args.params.moderationId) : null;
  if (!m) throw notFound();
  const framework = getFramework(m.assessment.frameworkId, m.assessment.frameworkVersion);
  if (!framework) throw new Response("The competence framework of this recording is not installed.", { status: 503 });
  return { user, m, framework, phase: asPhase(m.assessment.phase) };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, m, framework, phase } = await loadModeration(args);
  const r = m.assessment.recording;
  const items = applicableItems(framework, phase);
  const titles = itemTitles(framework);
  const ownRating = m.ratings.some((x) => x.raterId === user.id);
  return {
    moderationId: m.id,
    recordingId: r.id,
    label: recordingLabel(r),
    trainee: r.owner.name,
    framework: frameworkLabel(framework),
    phase: phase ? `${phase} phase` : "role-play",
    openedOn: toDateInput(m.openedAt),
    settled: m.settledAt ? { on: toDateInput(m.settledAt), by: m.moderator?.name ?? "", rationale: m.rationale ?? "" } : null,
    ownRating,
    reasons: m.reasons.map((x) => ({ item: x.itemId ? (titles[x.itemId] ?? x.itemId) : null, kind: x.kind, detail: x.detail })),
    flagged: m.reasons.flatMap((x) => (x.itemId ? [x.itemId] : [])),
    items: items.map((i) => itemView(framework, i)),
    scale: scaleView(framework),
    ratings: m.ratings.map((x) => ({
      id: x.id,
      role: x.assignment ? RATER_ROLE_LABELS[x.assignment.role] : "Rater",
      rater: x.rater?.name ?? "",
      mean: x.mean === null ? "—" : x.mean.toFixed(2),
      competent: x.competent,
      overallFeedback: x.overallFeedback,
      scores: Object.fromEntries(x.scores.map((s) => [s.itemId, s.score])),
      notes: Object.fromEntries(x.scores.filter((s) => s.note).map((s) => [s.itemId, s.note])),
    })),
    comments: m.ratings.flatMap((x) =>
      x.comments.map((c) => ({
        id: c.id,
        atSeconds: c.atSeconds,
        item: c.itemId ? (titles[c.itemId] ?? c.itemId) : null,
        body: c.body,
        author: x.rater?.name ?? "",
      })),
    ),
    player: r.status === "READY" ? await playerFor(getDb(), user.id, r) : null,
  };
}

type Outcome = { intent: string; errors: FieldErrors; values: Record<string, unknown> };

export async function action(args: ActionFunctionArgs) {
  const { user, m, framework, phase } = await loadModeration(args);
  const values = formToObject(await readForm(args.request));
  const fail = (errors: FieldErrors, status = 400) => data<Outcome>({ intent: "settle", errors, values }, { status });
  if (values.intent !== "settle") return fail({ form: "Unknown action: reload the page and try again." });
  const rating = parseWith(RatingFormSchema(framework, phase), values);
  const rationale = parseWith(RationaleSchema, values);
  if (!rating.ok || !rationale.ok) return fail({ ...(rationale.ok ? {} : rationale.errors), ...(rating.ok ? {} : rating.errors) });
  const result = await settleModeration(getDb(), {
    moderationId: m.id,
    moderatorId: user.id,
    framework,
    data: rating.data,
    rationale: rationale.data.rationale,
    retention: retentionPolicy(),
  });
  if (!result.ok) {
    if (result.problem === "not-found") throw notFound();
    if (result.problem === "incomplete") {
      return fail(Object.fromEntries(Object.entries(result.errors ?? {}).map(([id, message]) => [`score.${id}`, message])));
    }
    return fail(
      {
        form:
          result.problem === "own-rating"
            ? "You rated this recording, so another moderator must settle it."
            : "This disagreement is already settled.",
      },
      409,
    );
  }
  tellAboutRatings(getDb(), result.notices, args.context.appUrl);
  return redirect(`/moderation/${m.id}?saved=settled`);
}

/** What the form held when it came back with errors. */
function formScore(values: Record<string, unknown> | undefined, itemId: string): number | null {
  const v = values?.[`score.${itemId}`];
  return typeof v === "string" && v !== "" ? Number(v) : null;
}
function formText(values: Record<string, unknown> | undefined, name: string): string {
  const v = values?.[name];
  return typeof v === "string" ? v : "";
}

export default function ModerationPage() {
  const p = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const player = useRef<HTMLMediaElement | null>(null);
  const [source] = useState(p.player);
  const values = actionData?.values;
  const errors = actionData?.errors;
  const [a, b] = p.ratings;
  return (
    <>
      <h1>Moderation: {p.label}</h1>
      {params.get("saved") === "settled" ? (
        <div className="alert alert--success" role="status">
          Final rating recorded and released to the trainee.
        </div>
      ) : null}
      <dl className="details">
        <dt>Trainee</dt>
        <dd>{p.trainee}</dd>
        <dt>Framework</dt>
        <dd>{p.framework}</dd>
        <dt>Rated as</dt>
        <dd>{p.phase}</dd>
        <dt>Disagreement since</dt>
        <dd>{p.openedOn}</dd>
      </dl>
      <section aria-labelledby="reasons">
        <h2 id="reasons">Why the ratings disagree</h2>
        <ul data-testid="reasons">
          {p.reasons.map((x) => (
            <li key={`${x.kind}-${x.item ?? ""}`}>{x.detail}</li>
          ))}
        </ul>
      </section>
      {source ? <RecordingPlayer ref={player} source={source} title={p.label} /> : null}
      <section aria-labelledby="side-by-side">
        <h2 id="side-by-side">The two ratings</h2>
        <div className="table-wrap">
          <table data-testid="side-by-side">
            <caption className="visually-hidden">Item scores of both raters (scale {`${p.scale.min}–${p.scale.max}`})</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                {p.ratings.map((x) => (
                  <th scope="col" key={x.id}>
                    {x.role}: {x.rater}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.items.map((item) => (
                <tr key={item.id} className={p.flagged.includes(item.id) ? "row--flagged" : undefined}>
                  <th scope="row">
                    {item.title}
                    {p.flagged.includes(item.id) ? <span className="badge badge--warn">beyond tolerance</span> : null}
                  </th>
                  {p.ratings.map((x) => (
                    <td key={x.id}>
                      <strong>{x.scores[item.id] ?? "—"}</strong>
                      {x.notes[item.id] ? <p className="muted rating-note">{x.notes[item.id]}</p> : null}
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Mean; judgement</th>
                {p.ratings.map((x) => (
                  <td key={x.id}>
                    {x.mean}; {x.competent ? "competent" : "not yet competent"}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
        {[a, b].map((x) =>
          x ? (
            <div key={x.id}>
              <h3>
                Overall feedback: {x.role}, {x.rater}
              </h3>
              <p className="prewrap">{x.overallFeedback || "—"}</p>
            </div>
          ) : null,
        )}
      </section>
      <section aria-labelledby="comments">
        <h2 id="comments">The raters' comments</h2>
        <CommentTimeline comments={p.comments} player={player} labelledBy="comments" empty="The raters left no comments." />
      </section>
      <section aria-labelledby="final">
        <h2 id="final">Final rating</h2>
        {p.settled ? (
          <div className="alert" data-testid="settled">
            <p>
              Settled on {p.settled.on} by {p.settled.by}. <Link to={`/recordings/${p.recordingId}#rating`}>See the final rating</Link>
            </p>
            <p className="prewrap">Rationale: {p.settled.rationale}</p>
          </div>
        ) : p.ownRating ? (
          <p className="alert">You rated this recording, so another moderator must settle it.</p>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="settle" />
            <ErrorSummary errors={errors} />
            <p className="hint">
              Score every item from {p.scale.min} to {p.scale.max}. This becomes the final rating (the raters' ratings are kept as they
              are).
            </p>
            {p.items.map((item) => (
              <ItemScoreFields
                key={item.id}
                item={item}
                score={formScore(values, item.id)}
                note={formText(values, `note.${item.id}`)}
                error={errors?.[`score.${item.id}`]}
                allowUnscored={false}
              />
            ))}
            <div className="field">
              <label htmlFor="field-rationale">Rationale for the final rating</label>
              <p className="hint" id="field-rationale-hint">
                Why you decided as you did, with reference to the framework. The trainee and the raters can read it.
              </p>
              <textarea
                id="field-rationale"
                name="rationale"
                rows={4}
                maxLength={FEEDBACK_MAX}
                aria-describedby={errors?.rationale ? "field-rationale-hint field-rationale-error" : "field-rationale-hint"}
                aria-invalid={errors?.rationale ? true : undefined}
                defaultValue={formText(values, "rationale")}
              />
              {errors?.rationale ? (
                <p className="field-error" id="field-rationale-error">
                  {errors.rationale}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="field-overallFeedback">Feedback to the trainee (optional)</label>
              <textarea
                id="field-overallFeedback"
                name="overallFeedback"
                rows={4}
                maxLength={FEEDBACK_MAX}
                defaultValue={formText(values, "overallFeedback")}
              />
            </div>
            <button type="submit" className="button">
              Record the final rating
            </button>
          </Form>
        )}
      </section>
    </>
  );
}
