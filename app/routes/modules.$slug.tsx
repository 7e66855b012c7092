import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { ModuleStatus } from "#app/components/module-status";
import { TrustedHtml } from "#app/components/trusted-html";
import { getModuleBySlug } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { completionBlocker, moduleState } from "#app/domain/curriculum";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { saveJournalEntry } from "#app/models/journal.server";
import { completeModule, progressFor, readerState, recordModuleView } from "#app/models/progress.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} — Attune` : "Module — Attune" }];

export const JOURNAL_MAX = 10_000;

async function findModule(slug: string | undefined) {
  const found = slug ? await getModuleBySlug(slug) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  return found;
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "course:read");
  const { module, index, curriculum } = await findModule(args.params.slug);
  const db = getDb();
  const f = module.frontmatter;
  const { progress, journal } = await readerState(db, user.id, f.id);
  await recordModuleView(db, { userId: user.id, moduleId: f.id, version: f.version, existing: progress.get(f.id) });
  const state = moduleState(f, progress);
  const quizIds = module.segments.flatMap((s) => (s.type === "quiz" ? [s.id] : []));
  const quizzes = quizIds.map((id) => {
    const quiz = curriculum.quizzes.find((q) => q.id === id);
    return { id, title: quiz?.title ?? id, passMark: quiz?.settings.passMark ?? 0, formative: quiz?.settings.purpose === "formative" };
  });
  const titleOf = new Map(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter]));
  const neighbour = (i: number) => {
    const m = curriculum.modules[i]?.frontmatter;
    return m ? { slug: m.slug, title: m.title } : null;
  };
  return {
    id: f.id,
    title: f.title,
    summary: f.summary,
    order: f.order,
    version: f.version,
    estimatedMinutes: f.estimatedMinutes,
    objectives: f.objectives,
    references: f.references,
    toc: module.toc,
    segments: module.segments.map((s) => (s.type === "reflection" ? { ...s, answer: journal.get(s.id) ?? "" } : s)),
    state,
    blocker: completionBlocker(f, progress, { required: quizIds.length > 0 }),
    quizzes,
    quizPassed: Boolean(progress.get(f.id)?.quizPassedAt),
    missing: state.missing.map((id) => ({ slug: titleOf.get(id)?.slug ?? id, title: titleOf.get(id)?.title ?? id })),
    completedVersion: progress.get(f.id)?.completedVersion ?? null,
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    total: curriculum.modules.length,
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("complete") }),
  z.object({
    intent: z.literal("reflection"),
    promptId: z.string().min(1).max(120),
    text: z.string().max(JOURNAL_MAX, `Keep a reflection under ${JOURNAL_MAX.toLocaleString("en-GB")} characters`),
  }),
]);

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "progress:record-own");
  const { module, curriculum } = await findModule(args.params.slug);
  const f = module.frontmatter;
  const form = await parseForm(args.request, ActionSchema);
  if (!form.ok) return data({ errors: form.errors, saved: null, promptId: String(form.values.promptId ?? "") }, { status: 400 });
  const db = getDb();
  if (form.data.intent === "complete") {
    const blocker = completionBlocker(f, await progressFor(db, user.id), { required: module.segments.some((s) => s.type === "quiz") });
    if (blocker) {
      const formative = curriculum.quizzes.some((q) => q.module === f.id && q.settings.purpose === "formative");
      const message =
        blocker === "prerequisites"
          ? "Complete the modules before this one first."
          : formative
            ? "Submit this module's quiz with every question answered first."
            : "Pass this module's quiz first.";
      return data({ errors: { form: message } as FieldErrors, saved: null, promptId: "" }, { status: 409 });
    }
    await completeModule(db, { userId: user.id, moduleId: f.id, version: f.version });
    return redirect(`/modules/${f.slug}?completed=1`);
  }
  const { promptId, text } = form.data;
  if (!module.segments.some((s) => s.type === "reflection" && s.id === promptId)) {
    return data(
      { errors: { form: "That reflection prompt is not part of this module." } as FieldErrors, saved: null, promptId },
      { status: 400 },
    );
  }
  const result = await saveJournalEntry(db, { userId: user.id, moduleId: f.id, promptId, text });
  return { errors: undefined, saved: result, promptId };
}

function ReflectionForm({ id, promptHtml, answer }: { id: string; promptHtml: string; answer: string }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const mine = result?.promptId === id;
  const busy = navigation.state === "submitting" && navigation.formData?.get("promptId") === id;
  const fieldId = `reflection-${id}`;
  return (
    <section className="reflection" aria-labelledby={`${fieldId}-title`}>
      <h2 className="reflection__title" id={`${fieldId}-title`}>
        Reflection
      </h2>
      <TrustedHtml className="reflection__prompt" html={promptHtml} />
      <Form method="post" preventScrollReset>
        <input type="hidden" name="intent" value="reflection" />
        <input type="hidden" name="promptId" value={id} />
        <label htmlFor={fieldId}>Your private answer (only you can read it)</label>
        <textarea
          id={fieldId}
          name="text"
          rows={5}
          maxLength={JOURNAL_MAX}
          defaultValue={answer}
          aria-invalid={mine && result?.errors?.text ? true : undefined}
          aria-describedby={mine && result?.errors?.text ? `${fieldId}-error` : undefined}
        />
        {mine && result?.errors?.text ? (
          <p className="field-error" id={`${fieldId}-error`}>
            {result.errors.text}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="button button--secondary" disabled={busy}>
            Save to journal
          </button>
          {mine && result?.saved ? (
            <span role="status" className="muted">
              {result.saved === "saved" ? "Saved to your journal." : "Removed from your journal."}
            </span>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

export default function ModulePage() {
  const m = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="module-layout">
      <nav className="module-toc" aria-label="On this page">
        <p className="module-toc__title">On this page</p>
        <ol>
          <li>
            <a href="#objectives">Learning objectives</a>
          </li>
          {m.toc
            .filter((t) => t.level === 2)
            .map((t) => (
              <li key={t.id}>
                <a href={`#${t.id}`}>{t.text}</a>
              </li>
            ))}
          <li>
            <a href="#complete">Finish the module</a>
          </li>
        </ol>
      </nav>
      <article className="module">
        <p className="module__eyebrow">
          <Link to="/modules">Course</Link> · Module {m.order} of {m.total} · about {m.estimatedMinutes} minutes
        </p>
        <h1>{m.title}</h1>
        <ModuleStatus state={m.state} />
        {params.get("completed") ? (
          <div className="alert alert--success" role="status">
            Module completed.{m.next ? " The next one is open." : " That was the last module of the course."}
          </div>
        ) : null}
        {m.missing.length > 0 ? (
          <div className="alert" role="note">
            You can read this module now; to complete it, first complete{" "}
            {m.missing.map((p, i) => (
              <span key={p.slug}>
                {i > 0 ? ", " : ""}
                <Link to={`/modules/${p.slug}`}>{p.title}</Link>
              </span>
            ))}
            .
          </div>
        ) : null}
        <p className="lead">{m.summary}</p>
        <section className="objectives" aria-labelledby="objectives">
          <h2 id="objectives">Learning objectives</h2>
          <ul>
            {m.objectives.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </section>
        {m.segments.map((s, i) =>
          s.type === "html" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are static and never reorder
            <TrustedHtml className="prose" key={`html-${i}`} html={s.html} />
          ) : s.type === "reflection" ? (
            <ReflectionForm key={s.id} id={s.id} promptHtml={s.promptHtml} answer={"answer" in s ? String(s.answer) : ""} />
          ) : (
            <section key={s.id} className="quiz-card" aria-labelledby={`quiz-${s.id}`}>
              <h2 id={`quiz-${s.id}`}>Case-vignette quiz</h2>
              <p>
                {m.quizzes.find((q) => q.id === s.id)?.title}.{" "}
                {m.quizzes.find((q) => q.id === s.id)?.formative
                  ? m.quizPassed
                    ? "You have submitted it."
                    : "Submit an attempt with every question answered to complete this module."
                  : m.quizPassed
                    ? "You have passed it."
                    : "Pass it to complete this module."}
              </p>
              <Link className="button button--secondary" to={`/quizzes/${s.id}`}>
                {m.quizPassed ? "See your attempts" : "Go to the quiz"}
              </Link>
            </section>
          ),
        )}
        <section className="module-complete" aria-labelledby="complete">
          <h2 id="complete">Finish the module</h2>
          {result?.errors?.form ? (
            <div className="alert alert--error" role="alert">
              {result.errors.form}
            </div>
          ) : null}
          {m.state.status === "completed" && !m.state.updatedSinceCompleted ? (
            <p>You have completed this module.</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="complete" />
              {m.state.updatedSinceCompleted ? (
                <p>
                  This module has changed since you completed version {m.completedVersion}. Read it again and confirm to record version{" "}
                  {m.version}.
                </p>
              ) : null}
              {m.blocker === "quiz" ? (
                <p>
                  {m.quizzes.some((q) => q.formative)
                    ? "Submit this module's quiz, with every question answered, to complete it."
                    : "Pass this module's quiz to complete it."}
                </p>
              ) : null}
              <button type="submit" className="button" disabled={m.blocker !== null}>
                {m.state.updatedSinceCompleted ? "Confirm the updated module" : "Mark this module complete"}
              </button>
            </Form>
          )}
        </section>
        <nav className="pager" aria-label="Modules">
          {m.previous ? (
            <Link to={`/modules/${m.previous.slug}`} rel="prev">
              ← {m.previous.title}
            </Link>
          ) : (
            <span />
          )}
          {m.next ? (
            <Link to={`/modules/${m.next.slug}`} rel="next">
              {m.next.title} →
            </Link>
          ) : null}
        </nav>
      </article>
    </div>
  );
}
