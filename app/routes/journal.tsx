import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { TrustedHtml } from "#app/components/trusted-html";
import { reflectionPrompts } from "#app/content.server/course.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { PATIENT_PRIVACY_NOTE } from "#app/domain/curriculum";
import { journalForUser } from "#app/models/journal.server";

export const meta: MetaFunction = () => [{ title: "Your journal — Attune" }];

/** The signed-in person's own reflections. Nobody else, trainer or admin, can read them. */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "journal:read-own");
  const [curriculum, entries] = await Promise.all([getCurriculum(), journalForUser(getDb(), user.id)]);
  const prompts = reflectionPrompts(curriculum);
  return {
    entries: entries.map((e) => {
      const prompt = prompts.get(e.promptId);
      return {
        promptId: e.promptId,
        text: e.text,
        updatedAt: e.updatedAt.toISOString().slice(0, 10),
        moduleTitle: prompt?.moduleTitle ?? "A module no longer in the course",
        href: prompt ? `/modules/${prompt.moduleSlug}` : null,
        promptHtml: prompt?.promptHtml ?? "",
      };
    }),
  };
}

export default function Journal() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your reflection journal</h1>
      <p className="muted">Only you can read these. Trainers and administrators cannot.</p>
      <p className="reflection__privacy" role="note">
        {PATIENT_PRIVACY_NOTE} A private journal is still a record: write about your patients only in ways that nobody, including you in a
        year's time, could trace back to a real person.
      </p>
      {entries.length === 0 ? <p>You have not written a reflection yet. Each module has prompts near its key sections.</p> : null}
      {entries.map((e) => (
        <article key={e.promptId} className="panel journal-entry">
          <h2>{e.href ? <Link to={e.href}>{e.moduleTitle}</Link> : e.moduleTitle}</h2>
          <TrustedHtml className="reflection__prompt" html={e.promptHtml} />
          <p className="journal-entry__text">{e.text}</p>
          <p className="muted">Last saved {e.updatedAt}</p>
        </article>
      ))}
    </>
  );
}
