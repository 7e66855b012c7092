import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { searchSections } from "#app/domain/search";

export const meta: MetaFunction = () => [{ title: "Search the course — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "course:read");
  const q = (new URL(args.request.url).searchParams.get("q") ?? "").trim().slice(0, 200);
  const curriculum = await getCurriculum();
  const hits = q ? searchSections(curriculum.sections, q, 30) : [];
  return {
    q,
    hits: hits.map((h) => ({
      href: `/modules/${h.moduleSlug}${h.anchor ? `#${h.anchor}` : ""}`,
      moduleTitle: h.moduleTitle,
      heading: h.heading,
      snippet: h.snippet,
    })),
  };
}

export default function Search() {
  const { q, hits } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/modules">← Course</Link>
      </p>
      <h1>Search the course</h1>
      <Form method="get" role="search" className="inline-form search-form" aria-label="Course search">
        <label htmlFor="q">Words to find</label>
        <input id="q" name="q" type="search" defaultValue={q} />
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      {q ? (
        <p role="status">
          {hits.length === 0
            ? `Nothing in the course matches “${q}”.`
            : `${hits.length} ${hits.length === 1 ? "section" : "sections"} match “${q}”.`}
        </p>
      ) : null}
      <ol className="search-results">
        {hits.map((h) => (
          <li key={h.href}>
            <h2>
              <Link to={h.href}>{h.heading}</Link>
            </h2>
            <p className="muted">{h.moduleTitle}</p>
            <p>{h.snippet}</p>
          </li>
        ))}
      </ol>
    </>
  );
}
