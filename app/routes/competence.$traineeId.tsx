import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { CompetenceChart } from "#app/components/competence-chart";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { competenceProfile, getTrainee, relationsToTrainee } from "#app/models/competence.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.name ? `${data.name}: competence` : "Competence"} — Attune` },
];

/**
 * A trainee's competence profile: each framework item across their released final ratings, one chart section per
 * framework version (a rating is only ever read against the version it used). The trainee, their case supervisors
 * and cohort trainers, moderators and admins may see it; anyone else gets a 404.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "competence:view");
  const db = getDb();
  const trainee = args.params.traineeId ? await getTrainee(db, args.params.traineeId) : null;
  if (!trainee) throw notFound();
  requireOn(user, "competence:view", await relationsToTrainee(db, user, trainee.id));
  const ratings = await competenceProfile(db, trainee.id);
  const groups = new Map<string, typeof ratings>();
  for (const r of ratings) {
    const key = `${r.frameworkId}@${r.frameworkVersion}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const sections = [...groups.entries()].map(([key, rs]) => {
    const first = rs[0] as (typeof rs)[number];
    const framework = getFramework(first.frameworkId, first.frameworkVersion);
    const columns = rs.map((r) => ({
      key: r.ratingId,
      label: r.session === null ? "Role-play" : `${r.clientCode ?? "Case"} s${r.session}`,
      date: toDateInput(r.finalizedAt),
      competent: r.competent,
      mean: r.mean === null ? null : Math.round(r.mean * 100) / 100,
    }));
    const itemDefs = framework?.items ?? [...new Set(rs.flatMap((r) => Object.keys(r.scores)))].map((id) => ({ id, title: id }));
    return {
      key,
      title: framework ? `${framework.title} v${framework.version}` : `${first.frameworkId} v${first.frameworkVersion} (no longer loaded)`,
      scale: framework?.scale ?? { min: 0, max: 6 },
      line: framework?.rules.competent.meanAtLeast ?? 3,
      floor: framework?.rules.competent.noItemBelow ?? null,
      columns: columns.map(({ key: k, label, date, competent, mean }) => ({ key: k, label, date, competent, mean })),
      items: itemDefs.map((i) => ({ id: i.id, title: i.title, scores: rs.map((r) => r.scores[i.id] ?? null) })),
      competentCount: rs.filter((r) => r.competent).length,
    };
  });
  return { name: trainee.name, own: trainee.id === user.id, sections, total: ratings.length };
}

export default function CompetencePage() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/competence">← Competence profiles</Link>
      </p>
      <h1>{d.own ? "Your competence profile" : `Competence profile: ${d.name}`}</h1>
      {d.total === 0 ? (
        <p>No final ratings have been released yet. Each rated recording adds a point to every item that applied to its session.</p>
      ) : (
        d.sections.map((s) => (
          <section key={s.key} aria-labelledby={`fw-${s.key}`}>
            <h2 id={`fw-${s.key}`}>{s.title}</h2>
            <p>
              {s.columns.length} rated recording{s.columns.length === 1 ? "" : "s"}, {s.competentCount} judged competent.
            </p>
            <CompetenceChart
              title={`Final scores per item, ${s.title}`}
              scale={s.scale}
              line={s.line}
              floor={s.floor}
              columns={s.columns}
              items={s.items}
            />
          </section>
        ))
      )}
    </>
  );
}
