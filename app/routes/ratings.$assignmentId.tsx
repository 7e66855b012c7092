import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { CommentTimeline, useHydrated } from "#app/components/comment-timeline";
import { ErrorSummary } from "#app/components/field";
import { ItemScoreFields, ScoreTable } from "#app/components/rating-fields";
import { RecordingPlayer } from "#app/components/recording-player";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { frameworkLabel } from "#app/domain/framework";
import { RATER_ROLE_LABELS } from "#app/domain/rating-assignment";
import {
  COMMENT_MAX,
  CommentSchema,
  FEEDBACK_MAX,
  itemTitles,
  itemView,
  RatingFormSchema,
  scaleView,
  scoreRows,
} from "#app/domain/rating-form";
import { applicableItems } from "#app/domain/rating-rules";
import { formatDuration } from "#app/domain/recording-labels";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";
import { tellAboutRatings } from "#app/mail/rating-notices.server";
import { playerFor } from "#app/models/playback.server";
import {
  addComment,
  asPhase,
  assignmentForRater,
  deleteComment,
  recordingLabel,
  relationsToAssignment,
  saveDraft,
  submitRating,
} from "#app/models/rating.server";
import { retentionPolicy } from "#app/storage/config.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Rating"} — Attune` }];

/**
 * The rater's screen (docs/rating.md): the player, a timeline of the rater's
 * own time-stamped comments, and their rating form. Only the assignment's own
 * rater gets it (anyone else: 404), and it carries nothing of any other
 * rating of the recording: blindness is this loader's selection, not the page's.
 */
async function loadAssignment(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "rating:rate");
  const found = args.params.assignmentId ? await assignmentForRater(getDb(), args.params.assignmentId) : null;
  // Calibration attempts have their own pages (calibration.$calibrationId.tsx).
  if (!found?.rating || found.purpose !== "SUMMATIVE") throw notFound();
  requireOn(user, "rating:rate", relationsToAssignment(user, found));
  const framework = getFramework(found.rating.frameworkId, found.rating.frameworkVersion);
  if (!framework) {
    throw new Response(`The competence framework ${found.rating.frameworkId} v${found.rating.frameworkVersion} is not installed.`, {
      status: 503,
    });
  }
  return { user, found, rating: found.rating, framework, phase: asPhase(found.rating.phase) };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, found, rating, framework, phase } = await loadAssignment(args);
  const r = found.recording;
  const items = applicableItems(framework, phase);
  const titles = itemTitles(framework);
  const label = recordingLabel(r);
  const locked = rating.status === "SUBMITTED";
  return {
    assignmentId: found.id,
    title: `Rating: ${label}`,
    label,
    recordingId: r.id,
    trainee: r.owner.name,
    role: RATER_ROLE_LABELS[found.role],
    blindSecond: found.role === "SECOND",
    framework: { label: frameworkLabel(framework), title: framework.title, notice: framework.notice },
    phase: phase ? `${phase} phase` : "role-play (rated on the initial phase's items)",
    recordingReady: r.status === "READY",
    durationSeconds: r.durationSeconds,
    assessmentState: r.assessment?.state ?? "RATING",
    locked,
    submittedOn: rating.submittedAt ? toDateInput(rating.submittedAt) : null,
    summary: locked && rating.mean !== null ? { mean: rating.mean.toFixed(2), competent: rating.competent } : null,
    items: items.map((i) => itemView(framework, i)),
    notApplicable: framework.items.filter((i) => !items.includes(i)).map((i) => i.title),
    scale: scaleView(framework),
    scores: Object.fromEntries(rating.scores.map((s) => [s.itemId, s.score])),
    notes: Object.fromEntries(rating.scores.map((s) => [s.itemId, s.note])),
    rows: locked ? scoreRows(framework, phase, rating.scores) : [],
    overallFeedback: rating.overallFeedback,
    comments: rating.comments.map((c) => ({
      id: c.id,
      atSeconds: c.atSeconds,
      item: c.itemId ? (titles[c.itemId] ?? c.itemId) : null,
      body: c.body,
    })),
    player: r.status === "READY" ? await playerFor(getDb(), user.id, r) : null,
  };
}

type Outcome = { intent: string; errors: FieldErrors; values: Record<string, unknown>; savedAt?: string };

const invalid = (intent: string, values: Record<string, unknown>, errors: FieldErrors, status = 400) =>
  data<Outcome>({ intent, errors, values }, { status });

/** A request from the page's scripts (autosave, comments): answered with data, so the page and its player stay put. */
const fromScript = (values: Record<string, unknown>) => values.via === "script";

export async function action(args: ActionFunctionArgs) {
  const loaded = await loadAssignment(args);
  const { user, found, framework, phase } = loaded;
  const values = formToObject(await readForm(args.request));
  const intent = String(values.intent ?? "");
  const db = getDb();
  const here = `/ratings/${found.id}`;
  const done = (saved: string, anchor: string) =>
    fromScript(values)
      ? data<Outcome>({ intent, errors: {}, values: {}, savedAt: new Date().toISOString() })
      : redirect(`${here}?saved=${saved}#${anchor}`);
  const locked = () => invalid(intent, values, { form: "This rating is submitted and can no longer be changed." }, 409);

  if (intent === "save" || intent === "submit") {
    const parsed = parseWith(RatingFormSchema(framework, phase), values);
    if (!parsed.ok) return invalid(intent, values, parsed.errors);
    if (intent === "save") {
      const saved = await saveDraft(db, { assignmentId: found.id, raterId: user.id, framework, data: parsed.data });
      return saved ? done("draft", "rating") : locked();
    }
    const result = await submitRating(db, {
      assignmentId: found.id,
      raterId: user.id,
      framework,
      data: parsed.data,
      retention: retentionPolicy(),
    });
    if (!result.ok) {
      if (result.problem === "incomplete") {
        const errors = Object.fromEntries(Object.entries(result.errors ?? {}).map(([id, message]) => [`score.${id}`, message]));
        return invalid(intent, values, errors);
      }
      if (result.problem === "locked") return locked();
      const message =
        result.problem === "not-rateable"
          ? "This recording was withdrawn or deleted, so it can no longer be rated."
          : "The ratings of this recording are already complete.";
      return invalid(intent, values, { form: message }, 409);
    }
    tellAboutRatings(db, result.notices, args.context.appUrl);
    return redirect(`${here}?saved=submitted`);
  }
  if (intent === "comment") {
    const parsed = parseWith(CommentSchema(framework, phase, found.recording.durationSeconds), values);
    if (!parsed.ok) return invalid(intent, values, parsed.errors);
    const id = await addComment(db, {
      assignmentId: found.id,
      raterId: user.id,
      atSeconds: parsed.data.at,
      itemId: parsed.data.itemId,
      body: parsed.data.body,
    });
    return id ? done("comment", "comments") : locked();
  }
  if (intent === "delete-comment") {
    const commentId = typeof values.commentId === "string" ? values.commentId : "";
    const deleted = commentId ? await deleteComment(db, { assignmentId: found.id, raterId: user.id, commentId }) : false;
    return deleted ? done("comment-deleted", "comments") : locked();
  }
  return invalid(intent, values, { form: "Unknown action: reload the page and try again." });
}

/** The scripts' autosave changes nothing on the page; their comments do (the list), but the player keeps its source. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  if (formData?.get("via") === "script" && formData.get("intent") === "save") return false;
  return defaultShouldRevalidate;
};

const SAVED: Record<string, string> = {
  draft: "Draft saved.",
  submitted: "Rating submitted. It is locked now.",
  comment: "Comment added.",
  "comment-deleted": "Comment deleted.",
};

const STATE_TEXT: Record<string, string> = {
  RATING: "Waiting for the other rating: you will see the outcome once every rater has submitted.",
  MODERATION: "The two ratings differ by more than the framework allows, so a moderator decides the final rating.",
  FINAL: "The final rating is decided and released to the trainee.",
};

/** Alt+Shift+C: "comment at current time" (a modifier shortcut, so it never fires while typing a word). */
const SHORTCUT = "Alt+Shift+C";

export default function RatingPage() {
  const r = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const hydrated = useHydrated();
  const player = useRef<HTMLMediaElement | null>(null);
  // The player keeps the source it was first given: revalidation after a comment must not restart it.
  const [source] = useState(r.player);
  const saved = SAVED[params.get("saved") ?? ""];
  const errorsFor = (intent: string) =>
    actionData && "intent" in actionData && actionData.intent === intent ? actionData.errors : undefined;
  const ratingErrors = errorsFor("submit") ?? errorsFor("save");
  const ratingValues =
    actionData && "values" in actionData && (actionData.intent === "submit" || actionData.intent === "save") ? actionData.values : null;
  const score = (id: string): number | null => {
    const v = ratingValues?.[`score.${id}`];
    if (typeof v === "string") return v === "" ? null : Number(v);
    return r.scores[id] ?? null;
  };
  const note = (id: string): string => {
    const v = ratingValues?.[`note.${id}`];
    return typeof v === "string" ? v : (r.notes[id] ?? "");
  };

  return (
    <>
      <h1>{r.title}</h1>
      {saved ? (
        <div className="alert alert--success" role="status">
          {saved}
        </div>
      ) : null}
      <dl className="details">
        <dt>Trainee</dt>
        <dd>{r.trainee}</dd>
        <dt>Your role</dt>
        <dd>{r.role}</dd>
        <dt>Framework</dt>
        <dd>
          {r.framework.title} ({r.framework.label}) <span className="muted">— {r.framework.notice}</span>
        </dd>
        <dt>Rated as</dt>
        <dd>{r.phase}</dd>
      </dl>
      <p className="alert" data-testid="blind-notice">
        Blind rating: you cannot see any other rater's scores or comments until every rater has submitted, and nobody sees yours before
        then.
      </p>
      {!r.recordingReady ? (
        <p className="alert alert--error" role="alert">
          This recording was withdrawn or deleted: it can no longer be played or rated.
        </p>
      ) : null}
      {r.locked ? (
        <div className="alert" role="status" data-testid="rating-state">
          <p>
            You submitted this rating on {r.submittedOn}; it can no longer be changed.{" "}
            {r.summary ? `Your mean score: ${r.summary.mean}, ${r.summary.competent ? "competent" : "not yet competent"}.` : null}
          </p>
          <p>{STATE_TEXT[r.assessmentState]}</p>
          {r.assessmentState === "FINAL" ? <Link to={`/recordings/${r.recordingId}#rating`}>See the final rating</Link> : null}
        </div>
      ) : null}
      {source ? <RecordingPlayer ref={player} source={source} title={r.label} /> : null}

      <section aria-labelledby="comments">
        <h2 id="comments">Comments on the recording</h2>
        <Comments
          r={r}
          player={player}
          hydrated={hydrated}
          errors={errorsFor("comment")}
          values={actionData && "values" in actionData && actionData.intent === "comment" ? actionData.values : undefined}
        />
      </section>

      <section aria-labelledby="rating">
        <h2 id="rating">Your rating</h2>
        {r.locked ? (
          <>
            <ScoreTable caption="Your submitted rating" rows={r.rows} scale={r.scale} />
            <h3>Your overall feedback</h3>
            <p className="prewrap">{r.overallFeedback || "—"}</p>
          </>
        ) : (
          <RatingForm r={r} errors={ratingErrors} score={score} note={note} hydrated={hydrated} values={ratingValues} />
        )}
      </section>
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function Comments({
  r,
  player,
  hydrated,
  errors,
  values,
}: {
  r: Loaded;
  player: React.RefObject<HTMLMediaElement | null>;
  hydrated: boolean;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
}) {
  const fetcher = useFetcher<typeof action>();
  const remover = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const fetched = fetcher.data && "errors" in fetcher.data ? fetcher.data : undefined;
  const shownErrors = fetched?.errors && Object.keys(fetched.errors).length ? fetched.errors : errors;

  const commentNow = () => {
    const media = player.current;
    if (!media || !timeRef.current) return;
    media.pause();
    timeRef.current.value = formatDuration(Math.floor(media.currentTime));
    bodyRef.current?.focus();
  };

  useEffect(() => {
    if (r.locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.shiftKey && e.code === "KeyC") {
        e.preventDefault();
        commentNow();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  useEffect(() => {
    if (fetcher.state === "idle" && fetched && Object.keys(fetched.errors).length === 0 && bodyRef.current) {
      bodyRef.current.value = "";
    }
  }, [fetcher.state, fetched]);

  return (
    <>
      <CommentTimeline
        comments={r.comments}
        player={player}
        labelledBy="comments"
        empty="No comments yet."
        actions={
          r.locked
            ? undefined
            : (c) => (
                <remover.Form method="post">
                  <input type="hidden" name="intent" value="delete-comment" />
                  <input type="hidden" name="commentId" value={c.id} />
                  {hydrated ? <input type="hidden" name="via" value="script" /> : null}
                  <button type="submit" className="button button--secondary button--small">
                    Delete<span className="visually-hidden"> the comment at {formatDuration(c.atSeconds)}</span>
                  </button>
                </remover.Form>
              )
        }
      />
      {r.locked || !r.recordingReady ? null : (
        <fetcher.Form method="post" ref={formRef} className="comment-form" aria-labelledby="add-comment" noValidate>
          <h3 id="add-comment">Add a comment</h3>
          <input type="hidden" name="intent" value="comment" />
          {hydrated ? <input type="hidden" name="via" value="script" /> : null}
          {shownErrors ? <ErrorSummary errors={shownErrors} /> : null}
          {hydrated ? (
            <p>
              <button type="button" className="button button--secondary" onClick={commentNow} aria-keyshortcuts={SHORTCUT}>
                Comment at current time
              </button>{" "}
              <span className="hint">
                or press <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd> (pauses the player and fills in the time)
              </span>
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="field-at">Time in the recording (m:ss)</label>
            <input
              ref={timeRef}
              id="field-at"
              name="at"
              type="text"
              inputMode="numeric"
              className="input--short"
              defaultValue={typeof values?.at === "string" ? values.at : "0:00"}
              aria-invalid={shownErrors?.at ? true : undefined}
              aria-describedby={shownErrors?.at ? "field-at-error" : undefined}
            />
            {shownErrors?.at ? (
              <p className="field-error" id="field-at-error">
                {shownErrors.at}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="field-itemId">Framework item (optional)</label>
            <select id="field-itemId" name="itemId" defaultValue={typeof values?.itemId === "string" ? values.itemId : ""}>
              <option value="">No item</option>
              {r.items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="field-body">Comment</label>
            <textarea
              ref={bodyRef}
              id="field-body"
              name="body"
              rows={2}
              maxLength={COMMENT_MAX}
              defaultValue={typeof values?.body === "string" ? values.body : ""}
              aria-invalid={shownErrors?.body ? true : undefined}
              aria-describedby={shownErrors?.body ? "field-body-error" : undefined}
            />
            {shownErrors?.body ? (
              <p className="field-error" id="field-body-error">
                {shownErrors.body}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button">
            Add comment
          </button>
        </fetcher.Form>
      )}
    </>
  );
}

function RatingForm({
  r,
  errors,
  score,
  note,
  hydrated,
  values,
}: {
  r: Loaded;
  errors?: FieldErrors;
  score: (id: string) => number | null;
  note: (id: string) => string;
  hydrated: boolean;
  values: Record<string, unknown> | null;
}) {
  const autosave = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const savedAt = autosave.data && "savedAt" in autosave.data ? autosave.data.savedAt : undefined;
  const saveFailed = autosave.data && "errors" in autosave.data && Object.keys(autosave.data.errors).length > 0;

  // Drafts save as the rater goes: a second after the last change, the whole form as it stands.
  const scheduleSave = () => {
    if (!hydrated) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      const body = new FormData(form);
      body.set("intent", "save");
      body.set("via", "script");
      autosave.submit(body, { method: "post" });
    }, 1000);
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <Form method="post" ref={formRef} onChange={scheduleSave} noValidate data-testid="rating-form">
      <ErrorSummary errors={errors} />
      <p className="hint">
        Score each item from {r.scale.min} to {r.scale.max}
        {r.scale.anchors.length ? ` (${r.scale.anchors.map((a) => `${a.point} ${a.text}`).join("; ")})` : ""}. Submitting needs every item
        scored and locks the rating.
      </p>
      {r.items.map((item) => (
        <ItemScoreFields
          key={item.id}
          item={item}
          score={score(item.id)}
          note={note(item.id)}
          error={errors?.[`score.${item.id}`]}
          allowUnscored
        />
      ))}
      {r.notApplicable.length ? (
        <p className="muted" data-testid="not-applicable">
          Not applicable to this recording: {r.notApplicable.join(", ")}.
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="field-overallFeedback">Overall feedback to the trainee</label>
        <p className="hint" id="field-overallFeedback-hint">
          The trainee reads this once the final rating is released.
        </p>
        <textarea
          id="field-overallFeedback"
          name="overallFeedback"
          rows={5}
          maxLength={FEEDBACK_MAX}
          aria-describedby="field-overallFeedback-hint"
          defaultValue={typeof values?.overallFeedback === "string" ? values.overallFeedback : r.overallFeedback}
        />
      </div>
      <p className="muted" role="status" aria-live="polite" data-testid="autosave-status">
        {autosave.state !== "idle"
          ? "Saving draft…"
          : saveFailed
            ? "The draft could not be saved: check the form."
            : savedAt
              ? `Draft saved at ${new Date(savedAt).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" })}.`
              : ""}
      </p>
      <div className="actions">
        <button type="submit" name="intent" value="save" className="button button--secondary">
          Save draft
        </button>
        <button type="submit" name="intent" value="submit" className="button">
          Submit rating
        </button>
      </div>
    </Form>
  );
}
