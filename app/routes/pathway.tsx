import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { PathwayChecklist } from "#app/components/pathway-checklist";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { checklistView } from "#app/domain/pathway-view";
import { evaluateTrainee } from "#app/models/pathway-evidence.server";

export const meta: MetaFunction = () => [{ title: "Your pathway — Attune" }];

/** The trainee's own checklist against the current pathway (docs/pathways.md). */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "pathway:view-own");
  const [{ pathway, evidence, evaluation }, curriculum] = await Promise.all([evaluateTrainee(user.id), getCurriculum()]);
  const slugs = Object.fromEntries(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter.slug]));
  const view = checklistView(
    pathway,
    evaluation,
    evidence,
    { owner: true, admin: false, cohortTrainer: false, supervisedCaseIds: new Set() },
    slugs,
  );
  return {
    pathway: {
      id: pathway.id,
      version: pathway.version,
      title: pathway.title,
      notice: pathway.notice,
      credential: pathway.certificate.credentialName,
    },
    ...view,
  };
}

export default function PathwayPage() {
  const { pathway, steps, met, total, complete } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your pathway: {pathway.title}</h1>
      <p className="lead">{pathway.notice}</p>
      <p role="status" data-testid="pathway-summary">
        {complete
          ? `Every step is met: you are ready to be certified as ${pathway.credential}. An administrator will review your evidence.`
          : `${met} of ${total} steps met.`}
      </p>
      <p className="muted">
        Pathway “{pathway.id}”, version {pathway.version}. Evidence counts once it is final: confirmed supervision, final ratings, a marked
        case study. <Link to="/case-studies">Your case study</Link> · <Link to="/cases">Your cases</Link>
      </p>
      <PathwayChecklist steps={steps} who="you" />
    </>
  );
}
