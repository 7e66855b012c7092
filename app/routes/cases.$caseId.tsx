import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field, SelectField } from "#app/components/field";
import { OutcomeChart } from "#app/components/outcome-chart";
import { RecordingList } from "#app/components/recording-list";
import { getDb } from "#app/db.server";
import {
  CASE_STATUS_LABELS,
  CaseStatusSchema,
  CONSENT_METHOD_LABELS,
  CONSENT_METHODS,
  ConsentSchema,
  consentAllows,
  formatMinutes,
  SessionSchema,
  SupervisionReviewSchema,
  SupervisionSchema,
  supervisionTotals,
} from "#app/domain/case-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { summariseOutcomes } from "#app/domain/outcomes";
import { can } from "#app/domain/permissions";
import { phaseOf, planById } from "#app/domain/phases";
import { type FieldErrors, formToObject, parseWith } from "#app/forms/parse";
import {
  attestConsent,
  getCase,
  logSupervision,
  recordSession,
  relationsToCase,
  reviewSupervision,
  setCaseStatus,
  withdrawConsent,
} from "#app/models/case.server";
import { recordingsOfCase } from "#app/models/recording.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.clientCode ? `Case ${data.clientCode}` : "Case"} — Attune` },
];

/** The case if this person may see it (trainee, supervisor, admin); anyone else gets a 404. */
async function loadCase(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "case:view");
  const found = args.params.caseId ? await getCase(getDb(), args.params.caseId) : null;
  if (!found) throw notFound();
  const relations = relationsToCase(user, found);
  requireOn(user, "case:view", relations);
  return { user, found, relations };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, found, relations } = await loadCase(args);
  const plan = planById(found.planId);
  const totals = supervisionTotals(found.supervision);
  const recorded = new Set(found.sessions.map((s) => s.number));
  const nextNumber = Array.from({ length: plan.totalSessions }, (_, i) => i + 1).find((n) => !recorded.has(n)) ?? null;
  // Outcomes compare sessions where both measures were taken.
  const scores = found.sessions.flatMap((s) =>
    s.phq9 !== null && s.gad7 !== null ? [{ session: s.number, phq9: s.phq9, gad7: s.gad7 }] : [],
  );
  return {
    id: found.id,
    clientCode: found.clientCode,
    startedOn: toDateInput(found.startedOn),
    closedOn: found.closedOn ? toDateInput(found.closedOn) : null,
    status: found.status,
    trainee: found.trainee.name,
    supervisor: found.supervisor.name,
    plannedSessions: plan.totalSessions,
    planPhases: plan.phases.map((p) => `${p.label.replace(" phase", "").toLowerCase()} ${p.firstSession}–${p.lastSession}`).join(", "),
    scores,
    outcomes: outcomeSummaryText(summariseOutcomes(scores)),
    nextNumber,
    sessions: found.sessions.map((s) => ({
      id: s.id,
      number: s.number,
      heldOn: toDateInput(s.heldOn),
      phase: phaseOf(s.number, plan).label.replace(" phase", ""),
      phq9: s.phq9,
      gad7: s.gad7,
    })),
    supervision: found.supervision.map((e) => ({
      id: e.id,
      heldOn: toDateInput(e.heldOn),
      minutes: e.minutes,
      duration: formatMinutes(e.minutes),
      notes: e.notes,
      status: e.status,
      reviewNote: e.reviewNote,
      reviewedBy: e.reviewedBy?.name ?? null,
    })),
    totals: {
      confirmed: formatMinutes(totals.confirmedMinutes),
      pending: formatMinutes(totals.pendingMinutes),
      queried: formatMinutes(totals.queriedMinutes),
    },
    consents: found.consents.map((c) => ({
      id: c.id,
      consentOn: toDateInput(c.consentOn),
      method: CONSENT_METHOD_LABELS[c.method],
      scope: [c.forSupervision ? "supervision" : null, c.forAssessment ? "assessment" : null].filter(Boolean).join(" and "),
      withdrawnAt: c.withdrawnAt ? toDateInput(c.withdrawnAt) : null,
    })),
    consentForAssessment: consentAllows(found.consents, "assessment"),
    recordings: (await recordingsOfCase(getDb(), found.id)).map((r) => ({
      id: r.id,
      status: r.status,
      durationSeconds: r.durationSeconds,
      uploadedOn: toDateInput(r.createdAt),
      session: r.caseSession?.number ?? null,
    })),
    canRecord: can(user, "case:record", relations),
    canReview: can(user, "supervision:review", relations),
    // Uploads need the case open and a current consent covering assessment (checked again on every upload request).
    canUpload: can(user, "recording:upload", relations) && found.status === "OPEN" && consentAllows(found.consents, "assessment"),
  };
}

/** The outcome so far in words (NHS Talking Therapies definitions, first measurement against the latest). */
function outcomeSummaryText(o: ReturnType<typeof summariseOutcomes>): string[] {
  if (o.kind === "insufficient") {
    return [`Outcomes need at least two sessions with both measures (${o.measurements} so far).`];
  }
  const lines = [
    `Sessions ${o.firstSession} to ${o.lastSession}: PHQ-9 ${o.measures.phq9.from} → ${o.measures.phq9.to}, GAD-7 ${o.measures.gad7.from} → ${o.measures.gad7.to}.`,
    o.caseAtEntry
      ? "A case at the first measurement (PHQ-9 ≥ 10 or GAD-7 ≥ 8)."
      : "Not a case at the first measurement, so recovery does not apply.",
  ];
  if (o.reliableDeterioration) lines.push("Reliable deterioration on at least one measure: review risk and discuss in supervision.");
  else if (o.reliableRecovery) lines.push("Reliable recovery so far.");
  else if (o.recovery) lines.push("Recovery so far (below caseness on both), without reliable improvement.");
  else if (o.reliableImprovement) lines.push("Reliable improvement so far.");
  else lines.push("No reliable change yet.");
  return lines;
}

type Loaded = Awaited<ReturnType<typeof loadCase>>;
type Outcome = { intent: string; errors: FieldErrors; values: Record<string, unknown> };

function refused(intent: string, values: Record<string, unknown>, message: string, status = 409) {
  return data<Outcome>({ intent, errors: { form: message }, values }, { status });
}

function invalid(intent: string, values: Record<string, unknown>, errors: FieldErrors) {
  return data<Outcome>({ intent, errors, values }, { status: 400 });
}

export async function action(args: ActionFunctionArgs) {
  const loaded = await loadCase(args);
  const values = formToObject(await args.request.formData());
  const intent = String(values.intent ?? "");
  const handler = INTENTS[intent];
  if (!handler) return invalid(intent, values, { form: "Unknown action: reload the page and try again" });
  const needed = handler.permission;
  requireOn(loaded.user, needed, loaded.relations);
  const result = await handler.run(loaded, values);
  if (result) return result;
  return redirect(`/cases/${loaded.found.id}?saved=${intent}#${handler.anchor}`);
}

type Handler = {
  permission: "case:record" | "supervision:review";
  anchor: string;
  run: (loaded: Loaded, values: Record<string, unknown>) => Promise<ReturnType<typeof invalid> | null>;
};

const INTENTS: Record<string, Handler> = {
  session: {
    permission: "case:record",
    anchor: "sessions",
    async run({ found }, values) {
      if (found.status !== "OPEN") return refused("session", values, "Sessions can only be recorded while the case is open");
      const sessions = planById(found.planId).totalSessions;
      const parsed = parseWith(SessionSchema({ sessions, startedOn: found.startedOn, now: new Date() }), values);
      if (!parsed.ok) return invalid("session", values, parsed.errors);
      await recordSession(getDb(), { caseId: found.id, ...parsed.data });
      return null;
    },
  },
  supervision: {
    permission: "case:record",
    anchor: "supervision",
    async run({ found, user }, values) {
      if (found.status === "WITHDRAWN") return refused("supervision", values, "This case was withdrawn");
      const parsed = parseWith(SupervisionSchema(new Date()), values);
      if (!parsed.ok) return invalid("supervision", values, parsed.errors);
      await logSupervision(getDb(), { caseId: found.id, loggedById: user.id, ...parsed.data });
      return null;
    },
  },
  review: {
    permission: "supervision:review",
    anchor: "supervision",
    async run({ found, user }, values) {
      const parsed = parseWith(SupervisionReviewSchema, values);
      if (!parsed.ok) return invalid("review", values, parsed.errors);
      const done = await reviewSupervision(getDb(), { caseId: found.id, reviewerId: user.id, ...parsed.data });
      return done ? null : refused("review", values, "That entry is already confirmed or no longer exists");
    },
  },
  status: {
    permission: "case:record",
    anchor: "status",
    async run({ found, user }, values) {
      const parsed = parseWith(CaseStatusSchema, values);
      if (!parsed.ok) return invalid("status", values, parsed.errors);
      const done = await setCaseStatus(getDb(), { caseId: found.id, by: user.id, from: found.status, to: parsed.data.status });
      return done ? null : refused("status", values, "Only an open case can be ended or withdrawn");
    },
  },
  consent: {
    permission: "case:record",
    anchor: "consent",
    async run({ found, user }, values) {
      if (found.status !== "OPEN") return refused("consent", values, "Consent can only be recorded while the case is open");
      const parsed = parseWith(ConsentSchema(new Date()), values);
      if (!parsed.ok) return invalid("consent", values, parsed.errors);
      const { confirm: _confirm, ...consent } = parsed.data;
      await attestConsent(getDb(), { caseId: found.id, attestedById: user.id, ...consent });
      return null;
    },
  },
  "withdraw-consent": {
    permission: "case:record",
    anchor: "consent",
    async run({ found, user }, values) {
      const consentId = typeof values.consentId === "string" ? values.consentId : "";
      const done = consentId ? await withdrawConsent(getDb(), { caseId: found.id, consentId, by: user.id }) : false;
      return done ? null : refused("withdraw-consent", values, "That consent is already withdrawn or no longer exists");
    },
  },
};

const SAVED_MESSAGES: Record<string, string> = {
  session: "Session saved.",
  supervision: "Supervision logged. Your supervisor will confirm it.",
  review: "Supervision entry reviewed.",
  status: "Case status changed.",
  consent: "Consent recorded.",
  "withdraw-consent": "Consent marked as withdrawn.",
};

export default function CasePage() {
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = SAVED_MESSAGES[params.get("saved") ?? ""];
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  const valuesFor = (intent: string) => (actionData?.intent === intent ? actionData.values : {}) as Record<string, unknown>;
  const sessionValues = valuesFor("session");
  const supervisionValues = valuesFor("supervision");
  const consentValues = valuesFor("consent");
  return (
    <>
      <h1>Case {c.clientCode}</h1>
      {saved ? (
        <div className="alert alert--success" role="status">
          {saved}
        </div>
      ) : null}
      <dl className="details">
        <dt>Trainee</dt>
        <dd>{c.trainee}</dd>
        <dt>Supervisor</dt>
        <dd>{c.supervisor}</dd>
        <dt>Started</dt>
        <dd>{c.startedOn}</dd>
        <dt>Status</dt>
        <dd>
          {CASE_STATUS_LABELS[c.status]}
          {c.closedOn ? ` (${c.closedOn})` : ""}
        </dd>
        <dt>Consent to recording for assessment</dt>
        <dd>{c.consentForAssessment ? "Recorded" : "Not recorded"}</dd>
      </dl>

      <section aria-labelledby="sessions">
        <h2 id="sessions">Sessions and outcome measures</h2>
        <p className="muted">PHQ-9 (0–27) and GAD-7 (0–21) totals, taken every session. Phases: {c.planPhases}.</p>
        {c.scores.length > 0 ? <OutcomeChart scores={c.scores} title={`PHQ-9 and GAD-7 scores, case ${c.clientCode}`} /> : null}
        <ul aria-label="Outcome so far" data-testid="outcome-summary">
          {c.outcomes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Sessions of case {c.clientCode}</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Phase</th>
                <th scope="col">Date</th>
                <th scope="col">PHQ-9</th>
                <th scope="col">GAD-7</th>
                {c.canUpload ? <th scope="col">Recording</th> : null}
              </tr>
            </thead>
            <tbody>
              {c.sessions.length === 0 ? (
                <tr>
                  <td colSpan={c.canUpload ? 6 : 5}>No sessions recorded yet.</td>
                </tr>
              ) : (
                c.sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.number}</td>
                    <td>{s.phase}</td>
                    <td>{s.heldOn}</td>
                    <td>{s.phq9 ?? "—"}</td>
                    <td>{s.gad7 ?? "—"}</td>
                    {c.canUpload ? (
                      <td>
                        <Link to={`/recordings/new?session=${s.id}`}>
                          Upload a recording<span className="visually-hidden"> of session {s.number}</span>
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <RecordingList recordings={c.recordings} />
        {c.canRecord && c.status === "OPEN" ? (
          <section className="panel narrow" aria-labelledby="record-session">
            <h3 id="record-session">Record a session</h3>
            <p className="hint">Recording a number that already exists corrects that session.</p>
            <ErrorSummary errors={errorsFor("session")} />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="session" />
              <Field
                name="number"
                label={`Session number (1–${c.plannedSessions})`}
                inputMode="numeric"
                required
                defaultValue={String(sessionValues.number ?? c.nextNumber ?? "")}
                error={errorsFor("session")?.number}
              />
              <Field
                name="heldOn"
                label="Date"
                type="date"
                required
                defaultValue={String(sessionValues.heldOn ?? "")}
                error={errorsFor("session")?.heldOn}
              />
              <Field
                name="phq9"
                label="PHQ-9 total (optional)"
                inputMode="numeric"
                defaultValue={String(sessionValues.phq9 ?? "")}
                error={errorsFor("session")?.phq9}
              />
              <Field
                name="gad7"
                label="GAD-7 total (optional)"
                inputMode="numeric"
                defaultValue={String(sessionValues.gad7 ?? "")}
                error={errorsFor("session")?.gad7}
              />
              <button type="submit" className="button">
                Save session
              </button>
            </Form>
          </section>
        ) : null}
      </section>

      <section aria-labelledby="supervision">
        <h2 id="supervision">Supervision log</h2>
        <p>
          Confirmed: <strong>{c.totals.confirmed}</strong> · awaiting confirmation: {c.totals.pending} · queried: {c.totals.queried}. Only
          confirmed supervision counts towards the pathway.
        </p>
        <ErrorSummary errors={errorsFor("review")} />
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Supervision of case {c.clientCode}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Length</th>
                <th scope="col">Notes</th>
                <th scope="col">Status</th>
                {c.canReview ? <th scope="col">Review</th> : null}
              </tr>
            </thead>
            <tbody>
              {c.supervision.length === 0 ? (
                <tr>
                  <td colSpan={c.canReview ? 5 : 4}>No supervision logged yet.</td>
                </tr>
              ) : (
                c.supervision.map((e) => (
                  <tr key={e.id}>
                    <td>{e.heldOn}</td>
                    <td>{e.duration}</td>
                    <td>{e.notes || "—"}</td>
                    <td>
                      {e.status === "CONFIRMED" ? `Confirmed by ${e.reviewedBy}` : null}
                      {e.status === "PENDING" ? "Awaiting confirmation" : null}
                      {e.status === "QUERIED" ? `Queried: ${e.reviewNote}` : null}
                    </td>
                    {c.canReview ? (
                      <td>
                        {e.status === "CONFIRMED" ? (
                          "—"
                        ) : (
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="intent" value="review" />
                            <input type="hidden" name="entryId" value={e.id} />
                            <label className="visually-hidden" htmlFor={`note-${e.id}`}>
                              Query note for the entry of {e.heldOn}
                            </label>
                            <input id={`note-${e.id}`} name="reviewNote" placeholder="Query note" />
                            <button type="submit" name="decision" value="CONFIRMED" className="button button--secondary">
                              Confirm
                            </button>
                            <button type="submit" name="decision" value="QUERIED" className="button button--secondary">
                              Query
                            </button>
                          </Form>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        {c.canRecord && c.status !== "WITHDRAWN" ? (
          <section className="panel narrow" aria-labelledby="log-supervision">
            <h3 id="log-supervision">Log supervision</h3>
            <ErrorSummary errors={errorsFor("supervision")} />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="supervision" />
              <Field
                name="heldOn"
                label="Date"
                type="date"
                required
                id="field-supervision-heldOn"
                defaultValue={String(supervisionValues.heldOn ?? "")}
                error={errorsFor("supervision")?.heldOn}
              />
              <Field
                name="minutes"
                label="Length in minutes"
                inputMode="numeric"
                required
                defaultValue={String(supervisionValues.minutes ?? "")}
                error={errorsFor("supervision")?.minutes}
              />
              <Field
                name="notes"
                label="Notes (optional)"
                hint="What was discussed, in general terms. Never anything that identifies the client."
                defaultValue={String(supervisionValues.notes ?? "")}
                error={errorsFor("supervision")?.notes}
              />
              <button type="submit" className="button">
                Log supervision
              </button>
            </Form>
          </section>
        ) : null}
      </section>

      <section aria-labelledby="consent">
        <h2 id="consent">Consent to recording</h2>
        <p className="muted">
          Recordings of sessions need the client's written consent, which you record in the service's own records. Here you attest that it
          was given, and for what. No recording of this case can be uploaded without it.
        </p>
        <ErrorSummary errors={errorsFor("withdraw-consent")} />
        {c.consents.length === 0 ? (
          <p>No consent recorded yet.</p>
        ) : (
          <ul>
            {c.consents.map((k) => (
              <li key={k.id}>
                {k.consentOn}: {k.method}, for {k.scope}.{" "}
                {k.withdrawnAt ? (
                  <strong>Withdrawn {k.withdrawnAt}.</strong>
                ) : c.canRecord ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="withdraw-consent" />
                    <input type="hidden" name="consentId" value={k.id} />
                    <button type="submit" className="button button--secondary">
                      The client withdrew this consent
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {c.canRecord && c.status === "OPEN" ? (
          <section className="panel narrow" aria-labelledby="attest-consent">
            <h3 id="attest-consent">Attest the client's consent</h3>
            <ErrorSummary errors={errorsFor("consent")} />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="consent" />
              <Field
                name="consentOn"
                label="Date consent was given"
                type="date"
                required
                defaultValue={String(consentValues.consentOn ?? "")}
                error={errorsFor("consent")?.consentOn}
              />
              <SelectField
                name="method"
                label="How consent was recorded"
                placeholder="Choose"
                required
                options={CONSENT_METHODS.map((m) => ({ value: m, label: CONSENT_METHOD_LABELS[m] }))}
                defaultValue={String(consentValues.method ?? "")}
                error={errorsFor("consent")?.method}
              />
              <fieldset className="checks">
                <legend>The client consented to recording for</legend>
                <label>
                  <input type="checkbox" name="forSupervision" id="field-forSupervision" defaultChecked /> supervision
                </label>
                <label>
                  <input type="checkbox" name="forAssessment" defaultChecked /> assessment (rating by trainers)
                </label>
                {errorsFor("consent")?.forSupervision ? <p className="field-error">{errorsFor("consent")?.forSupervision}</p> : null}
              </fieldset>
              <div className="checks">
                <label>
                  <input type="checkbox" name="confirm" id="field-confirm" /> I confirm the client gave this consent in writing, knowing
                  they may withdraw it at any time.
                </label>
                {errorsFor("consent")?.confirm ? <p className="field-error">{errorsFor("consent")?.confirm}</p> : null}
              </div>
              <button type="submit" className="button">
                Record consent
              </button>
            </Form>
          </section>
        ) : null}
      </section>

      {c.canRecord && c.status === "OPEN" ? (
        <section className="panel narrow" aria-labelledby="status">
          <h2 id="status">End the case</h2>
          <ErrorSummary errors={errorsFor("status")} />
          <Form method="post">
            <input type="hidden" name="intent" value="status" />
            <fieldset className="checks">
              <legend>How did the case end?</legend>
              <label>
                <input type="radio" name="status" value="ENDED" /> Ended: the planned work is complete
              </label>
              <label>
                <input type="radio" name="status" value="WITHDRAWN" /> Withdrawn: stopped early (the client left, or the case was
                unsuitable)
              </label>
            </fieldset>
            <button type="submit" className="button button--secondary">
              Change status
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
