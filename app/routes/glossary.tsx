import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getCurriculum } from "#app/content.server/curriculum.server";

export const meta: MetaFunction = () => [{ title: "Glossary — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "course:read");
  const { glossary } = await getCurriculum();
  return {
    entries: Object.entries(glossary)
      .map(([key, e]) => ({ key, ...e }))
      .sort((a, b) => a.term.localeCompare(b.term, "en-GB")),
  };
}

export default function Glossary() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/modules">← Course</Link>
      </p>
      <h1>Glossary</h1>
      <dl className="glossary">
        {entries.map((e) => (
          <div key={e.key} id={e.key} className="glossary__entry">
            <dt>{e.term}</dt>
            <dd>{e.definition}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
