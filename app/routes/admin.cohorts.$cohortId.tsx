import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field } from "#app/components/field";
import { getDb } from "#app/db.server";
import { CohortSchema, toDateInput } from "#app/domain/cohort-rules";
import { parseForm, parseWith } from "#app/forms/parse";
import { addCohortMember, getCohort, type MemberError, removeCohortMember, setSupervisor, updateCohort } from "#app/models/cohort.server";
import { listActiveUsersWithRole } from "#app/models/user.server";

export const meta: MetaFunction = () => [{ title: "Cohort — Attune" }];

const id = z.string().min(1).max(64);
const optionalId = z
  .string()
  .max(64)
  .optional()
  .transform((v) => (v ? v : null));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add-member"), userId: id, role: z.enum(["TRAINEE", "TRAINER"]), supervisorId: optionalId }),
  z.object({ intent: z.literal("set-supervisor"), memberId: id, supervisorId: optionalId }),
  z.object({ intent: z.literal("remove-member"), memberId: id }),
  z.object({ intent: z.literal("update") }),
]);

const MEMBER_ERRORS: Record<MemberError, string> = {
  "not-found": "That person or cohort no longer exists.",
  "wrong-role": "That person does not hold the matching role (trainee or trainer).",
  "already-member": "That person is already in this cohort.",
  "bad-supervisor": "A supervisor must be a trainer in this cohort.",
};

async function loadCohort(cohortId: string | undefined) {
  const cohort = cohortId ? await getCohort(getDb(), cohortId) : null;
  if (!cohort) throw new Response("Not found", { status: 404 });
  return cohort;
}

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "cohorts:manage");
  const db = getDb();
  const cohort = await loadCohort(args.params.cohortId);
  const [trainees, trainers] = await Promise.all([listActiveUsersWithRole(db, "TRAINEE"), listActiveUsersWithRole(db, "TRAINER")]);
  const inCohort = new Set(cohort.members.map((m) => m.user.id));
  return {
    cohort,
    candidates: {
      TRAINEE: trainees.filter((u) => !inCohort.has(u.id)),
      TRAINER: trainers.filter((u) => !inCohort.has(u.id)),
    },
  };
}

type Result = { errors?: Record<string, string>; notice?: string };

export async function action(args: ActionFunctionArgs) {
  const admin = await requirePermission(args, "cohorts:manage");
  const cohort = await loadCohort(args.params.cohortId);
  const db = getDb();
  const form = await parseForm(args.request, z.object({ intent: z.string() }).passthrough());
  const parsed = parseWith(ActionSchema, form.values);
  if (!parsed.ok) return data<Result>({ errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const memberResult = (r: { ok: true } | { ok: false; error: MemberError }, notice: string) =>
    r.ok ? data<Result>({ notice }) : data<Result>({ errors: { form: MEMBER_ERRORS[r.error] } }, { status: 409 });

  switch (input.intent) {
    case "update": {
      const details = parseWith(CohortSchema, form.values);
      if (!details.ok) return data<Result>({ errors: details.errors }, { status: 400 });
      const r = await updateCohort(db, cohort.id, { ...details.data, by: admin.id });
      if (!r.ok) return data<Result>({ errors: { name: "A cohort with that name already exists" } }, { status: 409 });
      return data<Result>({ notice: "Cohort saved." });
    }
    case "add-member":
      return memberResult(await addCohortMember(db, { cohortId: cohort.id, ...input, by: admin.id }), "Member added.");
    case "set-supervisor":
      return memberResult(await setSupervisor(db, { cohortId: cohort.id, ...input, by: admin.id }), "Supervisor saved.");
    case "remove-member": {
      const removed = await removeCohortMember(db, { cohortId: cohort.id, memberId: input.memberId, by: admin.id });
      return removed
        ? data<Result>({ notice: "Member removed." })
        : data<Result>({ errors: { form: MEMBER_ERRORS["not-found"] } }, { status: 404 });
    }
  }
}

export default function CohortDetail() {
  const { cohort, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const trainers = cohort.members.filter((m) => m.role === "TRAINER");
  const trainees = cohort.members.filter((m) => m.role === "TRAINEE");
  return (
    <>
      <p>
        <Link to="/admin/cohorts">← All cohorts</Link>
      </p>
      <h1>{cohort.name}</h1>
      <p>
        <Link to={`/cohorts/${cohort.id}/progress`}>Course progress of this cohort</Link> ·{" "}
        <Link to={`/cohorts/${cohort.id}/pathway`}>Pathway checklist</Link>
      </p>
      <ErrorSummary errors={result?.errors} />
      {result?.notice ? (
        <div className="alert alert--success" role="status">
          {result.notice}
        </div>
      ) : null}

      <section aria-labelledby="trainees-title">
        <h2 id="trainees-title">Trainees</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Supervisor</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {trainees.length === 0 ? (
                <tr>
                  <td colSpan={3}>No trainees yet.</td>
                </tr>
              ) : (
                trainees.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/admin/users/${m.user.id}`}>{m.user.name}</Link>
                    </td>
                    <td>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="set-supervisor" />
                        <input type="hidden" name="memberId" value={m.id} />
                        <label htmlFor={`sup-${m.id}`} className="visually-hidden">
                          Supervisor for {m.user.name}
                        </label>
                        <select id={`sup-${m.id}`} name="supervisorId" defaultValue={m.supervisor?.id ?? ""}>
                          <option value="">No supervisor</option>
                          {trainers.map((t) => (
                            <option key={t.user.id} value={t.user.id}>
                              {t.user.name}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button button--secondary">
                          Save
                        </button>
                      </Form>
                    </td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="memberId" value={m.id} />
                        <button type="submit" className="button button--secondary" aria-label={`Remove ${m.user.name}`}>
                          Remove
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="trainers-title">
        <h2 id="trainers-title">Trainers</h2>
        <ul>
          {trainers.length === 0 ? <li>No trainers yet.</li> : null}
          {trainers.map((m) => (
            <li key={m.id}>
              <Form method="post" className="inline-form">
                <Link to={`/admin/users/${m.user.id}`}>{m.user.name}</Link>
                <input type="hidden" name="intent" value="remove-member" />
                <input type="hidden" name="memberId" value={m.id} />
                <button type="submit" className="button button--secondary" aria-label={`Remove ${m.user.name}`}>
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid">
        {(["TRAINEE", "TRAINER"] as const).map((role) => (
          <section className="panel" key={role} aria-labelledby={`add-${role}`}>
            <h2 id={`add-${role}`}>Add a {role === "TRAINEE" ? "trainee" : "trainer"}</h2>
            {candidates[role].length === 0 ? (
              <p className="muted">Nobody else holds this role. Invite them first.</p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="add-member" />
                <input type="hidden" name="role" value={role} />
                <div className="field">
                  <label htmlFor={`user-${role}`}>Person</label>
                  <select id={`user-${role}`} name="userId" required>
                    {candidates[role].map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.email})
                      </option>
                    ))}
                  </select>
                </div>
                {role === "TRAINEE" && trainers.length > 0 ? (
                  <div className="field">
                    <label htmlFor="new-supervisor">Supervisor</label>
                    <select id="new-supervisor" name="supervisorId" defaultValue="">
                      <option value="">Assign later</option>
                      {trainers.map((t) => (
                        <option key={t.user.id} value={t.user.id}>
                          {t.user.name}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
                <button type="submit" className="button">
                  Add
                </button>
              </Form>
            )}
          </section>
        ))}

        <section className="panel" aria-labelledby="edit-cohort">
          <h2 id="edit-cohort">Name and dates</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update" />
            <Field name="name" label="Name" required defaultValue={cohort.name} error={result?.errors?.name} />
            <Field
              name="startsOn"
              label="Starts on"
              type="date"
              required
              defaultValue={toDateInput(cohort.startsOn)}
              error={result?.errors?.startsOn}
            />
            <Field
              name="endsOn"
              label="Ends on (optional)"
              type="date"
              defaultValue={toDateInput(cohort.endsOn)}
              error={result?.errors?.endsOn}
            />
            <button type="submit" className="button">
              Save
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
