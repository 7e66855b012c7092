import type { AppLoadContext } from "@remix-run/node";
import { type CurrentUser, forbidden, requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { cohortName, isCohortTrainer } from "#app/models/cohort.server";

/**
 * A cohort's progress is for administrators and for the trainers of that
 * cohort; a trainer of another cohort gets 403, an unknown cohort 404.
 */
export async function requireCohortViewer(
  args: { request: Request; context: AppLoadContext },
  cohortId: string | undefined,
): Promise<{ user: CurrentUser; cohort: { id: string; name: string } }> {
  const user = await requirePermission(args, "cohort-progress:view");
  const db = getDb();
  const name = cohortId ? await cohortName(db, cohortId) : null;
  if (!cohortId || name === null) throw new Response("Not found", { status: 404 });
  if (!user.roles.includes("ADMIN") && !(await isCohortTrainer(db, user.id, cohortId))) throw forbidden();
  return { user, cohort: { id: cohortId, name } };
}
