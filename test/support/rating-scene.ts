// The rating workflow from its start, through its own models (app/models/rating.server.ts): a trainee's READY
// recording (session 1 of their case: the initial phase), calibrated raters assigned by an administrator. Tests
// then rate, submit, moderate through the models or the routes. Uses the fixture framework
// (test/fixtures/content/frameworks/dit-competence-v1.yaml): the initial phase's items are engagement-alliance and
// formulating-ipaf; competent = mean ≥ 3 and no item < 2; tolerance 1; final item = mean rounded down.
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import type { RatingFormData } from "#app/domain/rating-form";
import { DEFAULT_RETENTION } from "#app/domain/retention";
import { assignRater, markCalibrated } from "#app/models/rating.server";
import { makeUser } from "./app";
import "./fixture-course";
import { readyRecordingRow } from "./rating-rows";
import { traineeWithSession } from "./recording-fixtures";

export const RETENTION = DEFAULT_RETENTION;

/** A form's worth of rating: scores, notes per item, overall feedback. */
export function rating(scores: Record<string, number | null>, notes: Record<string, string> = {}, overallFeedback = ""): RatingFormData {
  return { scores, notes, overallFeedback };
}

/** A trainer (or given roles) calibrated for the current fixture framework. */
export async function calibratedRater(roles: ("TRAINER" | "MODERATOR")[] = ["TRAINER"]) {
  const user = await makeUser(roles);
  await markCalibrated(getDb(), { raterId: user.id, framework: currentFramework(), by: null });
  return user;
}

/** A READY recording with a primary and (unless `second: false`) a blind second rater assigned. */
export async function ratingScene(options: { second?: boolean; secondRoles?: ("TRAINER" | "MODERATOR")[] } = {}) {
  const db = getDb();
  const framework = currentFramework();
  const scene = await traineeWithSession();
  const recordingId = await readyRecordingRow(scene);
  const admin = await makeUser(["ADMIN"]);
  const primary = await calibratedRater();
  const second = await calibratedRater(options.secondRoles);
  const assign = async (raterId: string, role: "PRIMARY" | "SECOND") => {
    const r = await assignRater(db, { recordingId, raterId, role, by: admin.id, framework, random: () => 0 });
    if (!r.ok) throw new Error(`could not assign: ${r.problem}`);
    return r.assignmentId;
  };
  const primaryAssignment = await assign(primary.id, "PRIMARY");
  const secondAssignment = options.second === false ? null : await assign(second.id, "SECOND");
  return { ...scene, recordingId, framework, admin, primary, second, primaryAssignment, secondAssignment };
}

export type RatingScene = Awaited<ReturnType<typeof ratingScene>>;
