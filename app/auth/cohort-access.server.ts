import type { AppLoadContext } from "@remix-run/node";
import { type CurrentUser, notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import type { Relation } from "#app/domain/permissions";
import { cohortName, isCohortTrainer } from "#app/models/cohort.server";

/**
 * A cohort's progress is for those app/domain/permissions.ts lets see it
 * ("cohort-progress:view": administrators, and trainers of that cohort). Who
 * can never see any cohort gets 403; an unknown cohort, or another cohort's
 * (a trainer of a different cohort), is 404.
 */
export async function requireCohortViewer(
  args: { request: Request; context: AppLoadContext },
  cohortId: string | undefined,
): Promise<{ user: CurrentUser; cohort: { id: string; name: string } }> {
  const user = await requirePermission(args, "cohort-progress:view");
  const db = getDb();
  const name = cohortId ? await cohortName(db, cohortId) : null;
  if (!cohortId || name === null) throw notFound();
  const relations: Relation[] = (await isCohortTrainer(db, user.id, cohortId)) ? ["cohort-trainer"] : [];
  requireOn(user, "cohort-progress:view", relations);
  return { user, cohort: { id: cohortId, name } };
}
