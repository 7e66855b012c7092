import type { AppLoadContext } from "@remix-run/node";
import { getDb } from "../db.server";
import { cohortName, isCohortTrainer } from "../models/cohort.server";
import { type CurrentUser, forbidden, requireRole } from "./session.server";

/**
 * A cohort's progress is for administrators and for the trainers of that
 * cohort; a trainer of another cohort gets 403, an unknown cohort 404.
 */
export async function requireCohortViewer(
  args: { request: Request; context: AppLoadContext },
  cohortId: string | undefined,
): Promise<{ user: CurrentUser; cohort: { id: string; name: string } }> {
  const user = await requireRole(args, ["ADMIN", "TRAINER"]);
  const db = getDb();
  const name = cohortId ? await cohortName(db, cohortId) : null;
  if (!cohortId || name === null) throw new Response("Not found", { status: 404 });
  if (!user.roles.includes("ADMIN") && !(await isCohortTrainer(db, user.id, cohortId))) throw forbidden();
  return { user, cohort: { id: cohortId, name } };
}
