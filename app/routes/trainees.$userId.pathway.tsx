import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { PathwayChecklist } from "#app/components/pathway-checklist";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { checklistView } from "#app/domain/pathway-view";
import { can } from "#app/domain/permissions";
import { evaluateTrainee, relationsToTrainee, traineeName } from "#app/models/pathway-evidence.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Pathway${data?.name ? `: ${data.name}` : ""} — Attune` }];

/**
 * One trainee's checklist for those who follow their training: trainers of their cohort, supervisors of their
 * cases, administrators ("pathway:view"). Anyone else — another trainer — gets a 404, as for an unknown person.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "pathway:view");
  const db = getDb();
  const traineeId = args.params.userId ?? "";
  const name = traineeId ? await traineeName(db, traineeId) : null;
  if (!name) throw notFound();
  const relations = await relationsToTrainee(db, user.id, traineeId);
  requireOn(user, "pathway:view", relations);
  const [{ pathway, evidence, evaluation }, curriculum] = await Promise.all([evaluateTrainee(traineeId), getCurriculum()]);
  const slugs = Object.fromEntries(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter.slug]));
  const view = checklistView(
    pathway,
    evaluation,
    evidence,
    {
      owner: false,
      admin: can(user, "pathway:view"),
      cohortTrainer: relations.includes("cohort-trainer"),
      supervisedCaseIds: new Set(evidence.cases.filter((c) => c.supervisorId === user.id).map((c) => c.id)),
    },
    slugs,
  );
  return { name, pathway: { id: pathway.id, version: pathway.version, title: pathway.title }, ...view };
}

export default function TraineePathway() {
  const { name, pathway, steps, met, total, complete } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        Pathway: {name} <span className="muted">({pathway.title})</span>
      </h1>
      <p role="status" data-testid="pathway-summary">
        {complete ? "Every step is met: ready for certification." : `${met} of ${total} steps met.`}
      </p>
      <p className="muted">
        Pathway “{pathway.id}”, version {pathway.version}.
      </p>
      <PathwayChecklist steps={steps} who="they" />
    </>
  );
}
