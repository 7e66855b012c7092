import type { Role } from "#app/domain/roles";

/**
 * Who may be asked to rate a recording (docs/rating.md, "Assigning raters").
 * Pure: the caller gathers the facts (the recording, its current assignments,
 * the candidate's roles and calibration) and this decides. The same rules run
 * for every way in (the raters page, the seed, tests).
 *
 * - Only a READY recording is rated, and only while its assessment is still
 *   collecting ratings (not in moderation, not final).
 * - A rater holds the TRAINER or MODERATOR role and an active account.
 * - Never the trainee themself.
 * - Never the same person twice on one recording (whatever the role).
 * - The second rater is independent: never the trainee's supervisor (of the
 *   case, or their supervisor in a cohort) — they may be the primary rater.
 * - One primary and at most one second rater at a time (a withdrawn
 *   assignment frees its place).
 * - A summative recording needs a rater calibrated for the framework version
 *   it is rated against (a RaterQualification).
 */

export type RaterRoleName = "PRIMARY" | "SECOND";

export const RATER_ROLE_LABELS: Record<RaterRoleName, string> = { PRIMARY: "Primary rater", SECOND: "Second (blind) rater" };

/** The roles whose holders may be assigned to rate. */
export const RATER_ROLES: readonly Role[] = ["TRAINER", "MODERATOR"];

export type AssignmentFacts = {
  recording: {
    ownerId: string;
    status: "UPLOADING" | "READY" | "REJECTED" | "WITHDRAWN" | "PURGED";
    /** The supervisor of the recorded case (null for a role-play) and the trainee's cohort supervisors. */
    supervisorIds: readonly string[];
  };
  /** Where the recording's assessment stands; null before anyone is assigned. */
  assessmentState: "RATING" | "MODERATION" | "FINAL" | null;
  /** Assignments that are not withdrawn. */
  current: readonly { raterId: string; role: RaterRoleName }[];
  candidate: { id: string; roles: readonly Role[]; active: boolean; calibrated: boolean };
  role: RaterRoleName;
  purpose: "SUMMATIVE" | "CALIBRATION";
};

export type AssignmentProblem =
  | "not-ready"
  | "closed"
  | "not-a-rater"
  | "own-recording"
  | "already-assigned"
  | "supervisor-as-second"
  | "role-taken"
  | "not-calibrated";

export const ASSIGNMENT_PROBLEM_MESSAGES: Record<AssignmentProblem, string> = {
  "not-ready": "Only a recording that is ready to play can be rated.",
  closed: "The ratings of this recording are complete: no rater can be added now.",
  "not-a-rater": "Raters must be active trainers or moderators.",
  "own-recording": "Nobody rates their own recording.",
  "already-assigned": "That person is already a rater of this recording: the two raters must be different people.",
  "supervisor-as-second": "The second rater must be independent: not the trainee's supervisor.",
  "role-taken": "This recording already has a rater in that role; withdraw that assignment first.",
  "not-calibrated": "That rater is not calibrated for this framework version yet, so cannot rate a summative recording.",
};

/** The first rule the assignment would break, or null when it may be made. */
export function assignmentProblem(f: AssignmentFacts): AssignmentProblem | null {
  if (f.recording.status !== "READY") return "not-ready";
  if (f.assessmentState !== null && f.assessmentState !== "RATING") return "closed";
  if (!f.candidate.active || !f.candidate.roles.some((r) => RATER_ROLES.includes(r))) return "not-a-rater";
  if (f.candidate.id === f.recording.ownerId) return "own-recording";
  if (f.current.some((a) => a.raterId === f.candidate.id)) return "already-assigned";
  if (f.role === "SECOND" && f.recording.supervisorIds.includes(f.candidate.id)) return "supervisor-as-second";
  if (f.current.some((a) => a.role === f.role)) return "role-taken";
  if (f.purpose === "SUMMATIVE" && !f.candidate.calibrated) return "not-calibrated";
  return null;
}

/**
 * The roles whose ratings an assessment waits for: the primary always; the
 * second when the framework's rule drew one (`secondRaterRequired`) or one was
 * assigned anyway.
 */
export function rolesAwaited(secondRaterRequired: boolean, current: readonly { role: RaterRoleName }[]): RaterRoleName[] {
  return secondRaterRequired || current.some((a) => a.role === "SECOND") ? ["PRIMARY", "SECOND"] : ["PRIMARY"];
}

/**
 * Whether every awaited rating is in: each awaited role has a current
 * assignment whose rating is submitted.
 */
export function allRatingsIn(secondRaterRequired: boolean, current: readonly { role: RaterRoleName; submitted: boolean }[]): boolean {
  return rolesAwaited(secondRaterRequired, current).every((role) => current.some((a) => a.role === role && a.submitted));
}
