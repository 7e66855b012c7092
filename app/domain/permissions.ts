import type { Role } from "#app/domain/roles";

/**
 * Who may do what, in one place. A route asks "may this user do X (to this
 * thing)?" and never lists roles itself; the access-control test walks this
 * map. Pure data and functions: no I/O.
 *
 * A policy grants an action in two ways:
 * - `roles`: holders of any of these roles may do it to every such thing
 *   ("signed-in" = every active account);
 * - `scoped`: holders of these roles may do it only where they stand in one of
 *   the named relations to the thing (owner of the attempt, trainer of the
 *   cohort, supervisor of the case, assigned rater of the recording, rater
 *   calibrated for the framework version, …). The relations are facts the
 *   caller gathers from the database; this module only decides.
 */

/** How a person can stand towards one resource. */
export const RELATIONS = [
  "owner",
  "cohort-trainer",
  "case-supervisor",
  /** A rater with a current summative assignment to the recording (PRIMARY or SECOND). */
  "assigned-rater",
  /**
   * A rater attempting the recording as calibration material: they may play it (on the calibration page), and see
   * nothing else of it — not its trainee, case or ratings.
   */
  "calibration-rater",
  "calibrated-rater",
  /** An accreditor whose accrediting body is the certificate's home registration body. */
  "accrediting-body",
] as const;
export type Relation = (typeof RELATIONS)[number];

type Policy = {
  /** Who may do it to any such resource. */
  roles: "signed-in" | readonly Role[];
  /** Who may do it only where they hold one of `relations` to the resource. */
  scoped?: { roles: "signed-in" | readonly Role[]; relations: readonly Relation[] };
  /** What the action is, for people reading the map (docs and test names). */
  description: string;
};

export const POLICIES = {
  "home:view": { roles: "signed-in", description: "See one's own home page" },
  "account:manage-own": { roles: "signed-in", description: "Change one's own name and password" },
  "course:read": { roles: "signed-in", description: "Read course modules, search and glossary" },
  "progress:record-own": { roles: "signed-in", description: "Record one's own module progress and reflections" },
  "journal:read-own": {
    roles: [],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "Read one's own private journal (nobody else's, admins included)",
  },
  "quiz:take": { roles: "signed-in", description: "Start and answer quizzes" },
  "quiz-attempt:view": {
    roles: [],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "See and continue one's own quiz attempt",
  },
  "quiz:mark": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINER"], relations: ["cohort-trainer"] },
    description: "Mark free-text answers of a submitted attempt",
  },
  "quiz:analyse": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINER"], relations: ["cohort-trainer"] },
    description: "See item analysis of a quiz (over the cohorts one trains)",
  },
  "cohort-progress:view": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINER"], relations: ["cohort-trainer"] },
    description: "See a cohort's progress grid and its CSV",
  },
  "case:list": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "case-supervisor"] },
    description: "List training cases (one's own, those one supervises, or all for admins)",
  },
  "case:create": { roles: ["TRAINEE"], description: "Register a supervised training case of one's own" },
  "case:view": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "case-supervisor"] },
    description: "See a case: sessions, outcome measures, supervision log and consent",
  },
  "case:record": {
    roles: [],
    scoped: { roles: ["TRAINEE"], relations: ["owner"] },
    description: "Record sessions, outcome measures, supervision, consent and status of one's own case",
  },
  "supervision:review": {
    roles: [],
    scoped: { roles: ["TRAINER"], relations: ["case-supervisor"] },
    description: "Confirm or query supervision entries of a case one supervises",
  },
  "recording:upload": {
    roles: [],
    scoped: { roles: ["TRAINEE"], relations: ["owner"] },
    description: "Upload a recording of one's own case session or role-play, under a current consent",
  },
  "recording:play": {
    roles: ["MODERATOR", "ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "case-supervisor", "assigned-rater", "calibration-rater"] },
    description: "Play a recording: its trainee, the case supervisor, raters assigned to it (summative or calibration), moderators, admins",
  },
  "recording:withdraw": {
    roles: [],
    scoped: { roles: ["TRAINEE"], relations: ["owner"] },
    description: "Withdraw one's own recording before it is rated (e.g. the client withdrew consent)",
  },
  "recording:hold": { roles: ["ADMIN"], description: "Put a recording on legal hold, or lift the hold" },
  // — rating (issue #9) —
  "rating:list": {
    roles: ["TRAINEE", "TRAINER", "MODERATOR", "ADMIN"],
    description: "See one's own rating work: recordings to rate, disagreements to moderate, one's released ratings",
  },
  "rating:assign": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINER"], relations: ["case-supervisor"] },
    description: "Assign (or withdraw) the raters of a recording: admins, or the supervisor of its case",
  },
  "rating:rate": {
    roles: [],
    scoped: { roles: ["TRAINER", "MODERATOR"], relations: ["assigned-rater"] },
    description: "Rate a recording one is assigned to: time-stamped comments, item scores, feedback (blind to other raters)",
  },
  "rating:moderate": {
    roles: ["MODERATOR"],
    description: "See both ratings of a disagreement side by side and record the final rating with a rationale",
  },
  "rating:view-final": {
    roles: ["MODERATOR", "ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "case-supervisor", "assigned-rater"] },
    description: "See a recording's final rating and released comments: its trainee, the case supervisor, its raters, moderators, admins",
  },
  // — reliability and calibration (issue #9) —
  "reliability:view": {
    roles: ["MODERATOR", "ADMIN"],
    description: "See inter-rater reliability (ICC per item, kappa per rater pair, rater severity and drift) and export it as CSV",
  },
  "calibration:attempt": {
    roles: ["TRAINER", "MODERATOR"],
    description: "See one's own calibration status and rate calibration recordings against their reference ratings",
  },
  "calibration:manage": {
    roles: ["MODERATOR"],
    description: "Mark recordings as calibration material for a framework version and record their reference (gold) rating",
  },
  "competence:view": {
    roles: ["MODERATOR", "ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "case-supervisor", "cohort-trainer"] },
    description:
      "See a trainee's competence profile (each framework item across their final ratings): the trainee, their supervisors and cohort trainers, moderators, admins",
  },
  // — path (issue #10) —
  "pathway:view-own": { roles: ["TRAINEE"], description: "See one's own pathway checklist: each step, its state, its evidence" },
  "pathway:view": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINER"], relations: ["cohort-trainer", "case-supervisor"] },
    description:
      "See a trainee's pathway checklist (trainers of their cohort, supervisors of their cases) and a cohort's grid (its trainers)",
  },
  "case-study:submit": { roles: ["TRAINEE"], description: "Submit one's own written case study, and a revised one after a referral" },
  "case-study:view": {
    roles: ["ADMIN"],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "cohort-trainer"] },
    description: "See case studies and their marks: one's own, those of one's cohorts' trainees, all for admins",
  },
  "case-study:download": {
    roles: [],
    scoped: { roles: ["TRAINEE", "TRAINER"], relations: ["owner", "cohort-trainer"] },
    description: "Download a case study's document: its trainee and its markers (trainers of the trainee's cohort) only",
  },
  "case-study:mark": {
    roles: [],
    scoped: { roles: ["TRAINER"], relations: ["cohort-trainer"] },
    description: "Mark a case study pass or refer, with feedback (a trainer of the trainee's cohort, never one's own)",
  },
  // — certificates (issue #10) —
  "certificate:issue": {
    roles: ["ADMIN"],
    description: "See the certification queue and issue a certificate to a trainee whose pathway is complete",
  },
  "certificate:manage": {
    roles: ["ADMIN"],
    description: "List certificates, see their history and evidence, and suspend, reinstate, revoke or renew them",
  },
  "certificate:view-own": {
    roles: [],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "See one's own certificates, their history and the notices about them",
  },
  "certificate:register-own": {
    roles: [],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "Put one's own certificate on the public register, or take it off",
  },
  "certificate:download": {
    roles: ["ADMIN"],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "Download a certificate as PDF: its holder, and admins",
  },
  "cpd:log-own": {
    roles: [],
    scoped: { roles: "signed-in", relations: ["owner"] },
    description: "Keep one's own CPD log, which renewal counts",
  },
  // — verify (issue #10) —
  "accreditor:dashboard": {
    roles: [],
    scoped: { roles: ["ACCREDITOR"], relations: ["accrediting-body"] },
    description: "See the certificates of practitioners whose home registration body is one's own accrediting body",
  },
  "accreditor:bulk-verify": {
    roles: ["ACCREDITOR"],
    description: "Verify many certificates at once from a CSV file (codes, or name and registration number)",
  },
  "admin:view": { roles: ["ADMIN"], description: "See the administrators' index" },
  "users:manage": { roles: ["ADMIN"], description: "Invite, edit, deactivate and anonymise people" },
  "cohorts:manage": { roles: ["ADMIN"], description: "Create cohorts and manage their members" },
  "audit:read": { roles: ["ADMIN"], description: "Read the audit log" },
} as const satisfies Record<string, Policy>;

export type Action = keyof typeof POLICIES;

/** What the decision needs to know about the person. */
export type Actor = { roles: readonly Role[] };

function holds(actor: Actor, roles: "signed-in" | readonly Role[]): boolean {
  return roles === "signed-in" || roles.some((r) => actor.roles.includes(r));
}

/**
 * Whether the person could do `action` to at least some resource: the gate a
 * route checks first (403 when false).
 */
export function mayEver(actor: Actor, action: Action): boolean {
  const policy: Policy = POLICIES[action];
  return holds(actor, policy.roles) || (policy.scoped !== undefined && holds(actor, policy.scoped.roles));
}

/**
 * Whether the person may do `action` to one resource, given the relations they
 * hold to it. Without relations this is the unscoped grant alone.
 */
export function can(actor: Actor, action: Action, relations: Iterable<Relation> = []): boolean {
  const policy: Policy = POLICIES[action];
  if (holds(actor, policy.roles)) return true;
  if (!policy.scoped || !holds(actor, policy.scoped.roles)) return false;
  const held = new Set(relations);
  return policy.scoped.relations.some((r) => held.has(r));
}

/** Whether `action` needs relations to the resource for some of the people who may do it. */
export function isScoped(action: Action): boolean {
  return (POLICIES[action] as Policy).scoped !== undefined;
}

/** The roles that pass the route gate for `action` ("signed-in" for every account). */
export function gateRoles(action: Action): "signed-in" | Role[] {
  const policy: Policy = POLICIES[action];
  if (policy.roles === "signed-in" || policy.scoped?.roles === "signed-in") return "signed-in";
  return [...new Set([...policy.roles, ...(policy.scoped?.roles ?? [])])];
}
