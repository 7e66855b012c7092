import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { ModuleStatus } from "#app/components/module-status";
import { courseProgress, summarize } from "#app/content.server/course.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { progressFor } from "#app/models/progress.server";

export const meta: MetaFunction = () => [{ title: "Course — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "course:read");
  const [curriculum, progress] = await Promise.all([getCurriculum(), progressFor(getDb(), user.id)]);
  const modules = summarize(curriculum, progress);
  const { done, next } = courseProgress(curriculum, progress);
  return {
    modules,
    done,
    totalMinutes: modules.reduce((sum, m) => sum + m.estimatedMinutes, 0),
    next,
    courseQuizzes: curriculum.quizzes.filter((q) => !q.module).map((q) => ({ id: q.id, title: q.title })),
  };
}

export default function Modules() {
  const { modules, done, totalMinutes, next, courseQuizzes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dynamic Interpersonal Therapy: the course</h1>
      <p className="lead">
        {modules.length} modules, about {Math.round(totalMinutes / 60)} hours of reading and reflection. Work through them in order: each
        opens once the modules before it are complete.
      </p>
      <div className="actions">
        <p className="progress-summary" aria-live="polite">
          <strong>{done}</strong> of {modules.length} modules completed
        </p>
        {next ? (
          <Link to={`/modules/${next.slug}`} className="button">
            {next.started ? "Continue where you left off" : "Start"}: {next.title}
          </Link>
        ) : null}
      </div>
      <Form method="get" action="/modules/search" role="search" className="inline-form search-form" aria-label="Course search">
        <label htmlFor="course-q">Search the course</label>
        <input id="course-q" name="q" type="search" />
        <button type="submit" className="button button--secondary">
          Search
        </button>
      </Form>
      <ol className="module-list">
        {modules.map((m) => (
          <li key={m.id} className="module-card">
            <div className="module-card__head">
              <h2>
                <span className="module-card__number">{m.order}.</span> <Link to={`/modules/${m.slug}`}>{m.title}</Link>
              </h2>
              <ModuleStatus state={m.state} />
            </div>
            <p>{m.summary}</p>
            <p className="muted">
              About {m.estimatedMinutes} minutes
              {m.prerequisites.length ? (
                <>
                  {" · After "}
                  {m.prerequisites.map((p, i) => (
                    <span key={p.slug}>
                      {i > 0 ? ", " : ""}
                      <Link to={`/modules/${p.slug}`}>{p.title}</Link>
                    </span>
                  ))}
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ol>
      {courseQuizzes.length ? (
        <section aria-labelledby="course-quizzes">
          <h2 id="course-quizzes">Before the role-play assessment</h2>
          <ul>
            {courseQuizzes.map((q) => (
              <li key={q.id}>
                <Link to={`/quizzes/${q.id}`}>{q.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to="/glossary">Glossary</Link> · <Link to="/journal">Your reflection journal</Link>
      </p>
    </>
  );
}
