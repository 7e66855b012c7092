import { z } from "zod";
import type { PhaseId } from "#app/domain/phases";
import { ROLES, type Role } from "#app/domain/roles";

/**
 * The certification pathway as data (content/pathways/<id>-v<version>.yaml,
 * docs/pathways.md) and its evaluation: a pure function over the evidence the
 * models gather (app/models/pathway-evidence.server.ts), returning each step's
 * state — met, not yet, or blocked — with the evidence that meets it and what
 * is missing, in plain words. No I/O.
 */

// ---- The file format -------------------------------------------------------------------------------------------

const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case kebab-case");
const text = z.string().trim().min(3, "write at least a few words");

/** How sure the source is (docs/pathways.md): [S] stated by a primary source, [P] secondary or implied, [?] not found. */
export const CERTAINTIES = ["S", "P", "?"] as const;
export type Certainty = (typeof CERTAINTIES)[number];

const PHASES = ["initial", "middle", "ending"] as const satisfies readonly PhaseId[];
export const CASE_STATUSES_COUNTED = ["OPEN", "ENDED", "WITHDRAWN"] as const;
type CaseStatusName = (typeof CASE_STATUSES_COUNTED)[number];

const stepBase = {
  id: kebab,
  title: text,
  /** How sure the source is about this step as written (its numbers included). */
  certainty: z.enum(CERTAINTIES, { error: "certainty is S, P or ?" }),
  /** Where the step comes from and what is Attune's reading, in a sentence or two. */
  basis: text,
};

const ModulesStep = z
  .object({ ...stepBase, type: z.literal("modules"), modules: z.array(kebab).min(1, "list at least one module id") })
  .strict();

const QuizzesStep = z
  .object({ ...stepBase, type: z.literal("quizzes"), quizzes: z.array(kebab).min(1, "list at least one quiz id") })
  .strict();

const RolePlayStep = z
  .object({
    ...stepBase,
    type: z.literal("role-play"),
    /** Only ratings made with this competence framework count (any, when absent). */
    frameworkId: kebab.optional(),
  })
  .strict();

const ConcurrentCasesStep = z
  .object({
    ...stepBase,
    type: z.literal("concurrent-cases"),
    /** How many cases must be open at the same time. */
    count: z.number().int().min(2, "concurrent means at least 2 cases").max(10),
    /** How long (whole days) their open periods must overlap; 0 = touching is enough. */
    minOverlapDays: z.number().int().min(0).max(3650),
    /** Which case statuses count (a withdrawn case usually does not). */
    countStatuses: z.array(z.enum(CASE_STATUSES_COUNTED)).min(1),
  })
  .strict();

const SupervisionHoursStep = z
  .object({
    ...stepBase,
    type: z.literal("supervision-hours"),
    /** Confirmed supervision hours over all the trainee's cases. */
    hours: z.number().positive().max(1000),
  })
  .strict();

const Slot = z
  .object({
    phase: z.enum(PHASES, { error: "phase is initial, middle or ending" }),
    /** What the slot is in words, e.g. "the IPAF session (initial phase)". */
    label: text,
  })
  .strict();

const CaseRecordingsStep = z
  .object({
    ...stepBase,
    type: z.literal("case-recordings"),
    /**
     * The recordings wanted from each of N distinct cases, as phase slots. Which case fills which entry is free:
     * [[initial, middle], [initial, ending]] is met by one case's IPAF + middle and another's IPAF + ending,
     * either way round.
     */
    perCase: z.array(z.array(Slot).min(1)).min(1).max(6),
    /** A concurrent-cases step whose rule the chosen cases must also meet together (the same supervised cases). */
    concurrentWith: kebab.optional(),
    frameworkId: kebab.optional(),
  })
  .strict();

const CaseStudyStep = z
  .object({
    ...stepBase,
    type: z.literal("case-study"),
    /** The roles a marker must hold for a pass to count. */
    markerRoles: z.array(z.enum(ROLES)).min(1),
  })
  .strict();

const Milestone = z.union([
  z.object({ steps: z.array(kebab).min(1), label: text }).strict(),
  z.object({ event: z.literal("first-case-started"), label: text }).strict(),
]);
export type Milestone = z.infer<typeof Milestone>;

const TimeLimitStep = z
  .object({
    ...stepBase,
    type: z.literal("time-limit"),
    /** When the clock starts: when all the named steps were met, or an event. Label: a noun phrase ("completing the course"). */
    from: Milestone,
    /** What must happen in time. Label: a noun phrase ("starting supervised practice"). */
    to: Milestone,
    withinMonths: z.number().int().min(1).max(240),
    /** What the trainee must do once the limit has passed (refresher, repeat). */
    onExceeded: text,
  })
  .strict();

const StepSchema = z.discriminatedUnion(
  "type",
  [ModulesStep, QuizzesStep, RolePlayStep, ConcurrentCasesStep, SupervisionHoursStep, CaseRecordingsStep, CaseStudyStep, TimeLimitStep],
  { error: "type is one of modules, quizzes, role-play, concurrent-cases, supervision-hours, case-recordings, case-study, time-limit" },
);
export type PathwayStep = z.infer<typeof StepSchema>;
export type StepType = PathwayStep["type"];

const CertificateSchema = z
  .object({
    credentialName: text,
    description: text,
    /** Months a certificate is valid; null = open-ended. */
    validityMonths: z.number().int().min(1).max(600).nullable(),
    /** To renew: `cpdHours` of CPD logged in the last `periodMonths`. */
    renewal: z.object({ cpdHours: z.number().min(0).max(1000), periodMonths: z.number().int().min(1).max(600) }).strict(),
    issuerName: text,
    /** What the holder did, in a sentence or two (e.g. an Open Badge's criteria narrative). */
    criteria: text.optional(),
  })
  .strict();

export const PathwaySchema = z
  .object({
    id: kebab,
    version: z.number().int().min(1),
    title: text,
    /** What the pathway is and is not (e.g. "Attune's reading of the published route"). */
    notice: text,
    references: z.array(text).default([]),
    steps: z.array(StepSchema).min(1),
    certificate: CertificateSchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = new Map<string, PathwayStep>();
    p.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `step id "${s.id}" is used twice` });
      ids.set(s.id, s);
    });
    p.steps.forEach((s, i) => {
      if (s.type === "case-recordings" && s.concurrentWith !== undefined && ids.get(s.concurrentWith)?.type !== "concurrent-cases") {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "concurrentWith"],
          message: `"${s.concurrentWith}" is not a concurrent-cases step of this pathway`,
        });
      }
      if (s.type === "time-limit") {
        for (const end of ["from", "to"] as const) {
          const m = s[end];
          if (!("steps" in m)) continue;
          for (const ref of m.steps) {
            const target = ids.get(ref);
            if (!target) ctx.addIssue({ code: "custom", path: ["steps", i, end, "steps"], message: `no step "${ref}" in this pathway` });
            else if (target.type === "time-limit")
              ctx.addIssue({
                code: "custom",
                path: ["steps", i, end, "steps"],
                message: `"${ref}" is a time limit: name the steps it measures`,
              });
          }
        }
      }
    });
  });

export type Pathway = z.infer<typeof PathwaySchema>;
export type PathwayCertificate = Pathway["certificate"];

export class PathwayError extends Error {
  override readonly name = "PathwayError";
  constructor(readonly problems: string[]) {
    super(`The pathway is not valid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** Validates a pathway read from its file; throws a PathwayError listing every problem ("steps.3.hours: …"). */
export function parsePathway(raw: unknown): Pathway {
  const parsed = PathwaySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PathwayError(parsed.error.issues.map((i) => `${i.path.join(".") || "(pathway)"}: ${i.message}`));
}

/** Module and quiz ids a pathway names, for content:check to look up. */
export function contentReferences(p: Pathway): { modules: string[]; quizzes: string[] } {
  return {
    modules: p.steps.flatMap((s) => (s.type === "modules" ? s.modules : [])),
    quizzes: p.steps.flatMap((s) => (s.type === "quizzes" ? s.quizzes : [])),
  };
}

// ---- The evidence ----------------------------------------------------------------------------------------------

/** A module the trainee has a progress row for (completedAt null: started only). */
export type ModuleEvidence = {
  progressId: string;
  moduleId: string;
  completedAt: Date | null;
  completedVersion: number | null;
  hash: string;
};

export type QuizAttemptEvidence = {
  id: string;
  quizId: string;
  quizVersion: number;
  status: "IN_PROGRESS" | "AWAITING_MARKING" | "COMPLETE";
  submittedAt: Date | null;
  percent: number | null;
  passed: boolean | null;
  hash: string;
};

/** A final rating of a recording (the shape of FinalRatingEvidence in app/models/rating-evidence.server.ts). */
export type RatingEvidence = {
  ratingId: string;
  recordingId: string;
  recordingKind: "CASE_SESSION" | "ROLE_PLAY";
  caseId: string | null;
  sessionNumber: number | null;
  phase: PhaseId | null;
  frameworkId: string;
  frameworkVersion: number;
  competent: boolean;
  mean: number;
  finalizedAt: Date;
  releasedAt: Date | null;
  hash: string;
};

export type CaseEvidence = {
  id: string;
  clientCode: string;
  supervisorId: string;
  status: CaseStatusName;
  startedOn: Date;
  closedOn: Date | null;
  hash: string;
};

export type SupervisionEvidence = {
  id: string;
  caseId: string;
  heldOn: Date;
  minutes: number;
  status: "PENDING" | "CONFIRMED" | "QUERIED";
  hash: string;
};

export type CaseStudyMarkEvidence = {
  id: string;
  markerId: string;
  /** The marker's roles when the evidence was gathered. */
  markerRoles: readonly Role[];
  outcome: "PASS" | "REFER";
  markedAt: Date;
  hash: string;
};

export type CaseStudyEvidence = {
  id: string;
  title: string;
  caseId: string | null;
  status: "SUBMITTED" | "PASSED" | "REFERRED";
  submittedAt: Date;
  sha256: string;
  mark: CaseStudyMarkEvidence | null;
};

export type PathwayEvidence = {
  traineeId: string;
  /** Titles of modules and quizzes by id, for the words of the checklist (ids are shown when missing). */
  titles: { modules: Readonly<Record<string, string>>; quizzes: Readonly<Record<string, string>> };
  modules: readonly ModuleEvidence[];
  quizAttempts: readonly QuizAttemptEvidence[];
  ratings: readonly RatingEvidence[];
  cases: readonly CaseEvidence[];
  supervision: readonly SupervisionEvidence[];
  caseStudies: readonly CaseStudyEvidence[];
};

// ---- The evaluation --------------------------------------------------------------------------------------------

export type EvidenceRef = {
  kind: "module" | "quiz-attempt" | "rating" | "case" | "supervision" | "case-study-mark";
  id: string;
  hash?: string;
  label: string;
};

export type StepState = "met" | "not-yet" | "blocked";

export type StepEvaluation = {
  id: string;
  title: string;
  type: StepType;
  state: StepState;
  /** What meets the step (when met), or what counts towards it so far. */
  evidence: EvidenceRef[];
  /** What is still needed, in plain words (empty when met). */
  missing: string[];
  /** One line on where the step stands. */
  summary: string;
  /** When the step was met (the moment its last piece of evidence arrived), or null. */
  metAt: Date | null;
};

export type PathwayEvaluation = {
  pathwayId: string;
  pathwayVersion: number;
  complete: boolean;
  steps: StepEvaluation[];
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** `d` plus whole calendar months (UTC); the day is clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb). */
export function addMonths(d: Date, months: number): Date {
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const latest = (dates: readonly Date[]): Date | null => (dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null);

function formatHours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

type Ctx = { evidence: PathwayEvidence; now: Date; caseCode: (id: string | null) => string };

type StepResult = Omit<StepEvaluation, "id" | "title" | "type">;

function modulesStep(step: Extract<PathwayStep, { type: "modules" }>, { evidence }: Ctx): StepResult {
  const byModule = new Map(evidence.modules.map((m) => [m.moduleId, m]));
  const title = (id: string) => evidence.titles.modules[id] ?? id;
  const done = step.modules.flatMap((id) => {
    const m = byModule.get(id);
    return m?.completedAt ? [{ ...m, completedAt: m.completedAt }] : [];
  });
  const missing = step.modules.filter((id) => !byModule.get(id)?.completedAt).map((id) => `Complete the module “${title(id)}”.`);
  const refs: EvidenceRef[] = done.map((m) => ({
    kind: "module",
    id: m.progressId,
    hash: m.hash,
    label: `${title(m.moduleId)}: completed ${day(m.completedAt)}${m.completedVersion ? ` (version ${m.completedVersion})` : ""}`,
  }));
  const met = missing.length === 0;
  return {
    state: met ? "met" : "not-yet",
    evidence: refs,
    missing,
    summary: `${done.length} of ${step.modules.length} modules completed.`,
    metAt: met ? latest(done.map((m) => m.completedAt)) : null,
  };
}

function quizzesStep(step: Extract<PathwayStep, { type: "quizzes" }>, { evidence }: Ctx): StepResult {
  const title = (id: string) => evidence.titles.quizzes[id] ?? id;
  const firstPass = new Map<string, QuizAttemptEvidence & { submittedAt: Date }>();
  for (const a of evidence.quizAttempts) {
    if (a.status !== "COMPLETE" || a.passed !== true || !a.submittedAt) continue;
    const seen = firstPass.get(a.quizId);
    if (!seen || a.submittedAt < seen.submittedAt) firstPass.set(a.quizId, { ...a, submittedAt: a.submittedAt });
  }
  const passed = step.quizzes.flatMap((id) => {
    const a = firstPass.get(id);
    return a ? [a] : [];
  });
  const awaiting = new Set(evidence.quizAttempts.filter((a) => a.status === "AWAITING_MARKING").map((a) => a.quizId));
  const missing = step.quizzes
    .filter((id) => !firstPass.has(id))
    .map((id) => `Pass the quiz “${title(id)}”${awaiting.has(id) ? " (an attempt is awaiting marking)" : ""}.`);
  const met = missing.length === 0;
  return {
    state: met ? "met" : "not-yet",
    evidence: passed.map((a) => ({
      kind: "quiz-attempt",
      id: a.id,
      hash: a.hash,
      label: `${title(a.quizId)}: passed ${day(a.submittedAt)}${a.percent !== null ? ` (${Math.round(a.percent)}%)` : ""}`,
    })),
    missing,
    summary: `${passed.length} of ${step.quizzes.length} quizzes passed.`,
    metAt: met ? latest(passed.map((a) => a.submittedAt)) : null,
  };
}

const PHASE_WORDS: Record<PhaseId, string> = { initial: "initial phase", middle: "middle phase", ending: "ending phase" };

function ratingRef(r: RatingEvidence, ctx: Ctx): EvidenceRef {
  const what =
    r.recordingKind === "ROLE_PLAY"
      ? "Role-play recording"
      : `Case ${ctx.caseCode(r.caseId)}, session ${r.sessionNumber ?? "?"}${r.phase ? ` (${PHASE_WORDS[r.phase]})` : ""}`;
  return {
    kind: "rating",
    id: r.ratingId,
    hash: r.hash,
    label: `${what}: ${r.competent ? "competent" : "not yet competent"}, mean ${r.mean.toFixed(1)}, final ${day(r.finalizedAt)}`,
  };
}

function rolePlayStep(step: Extract<PathwayStep, { type: "role-play" }>, ctx: Ctx): StepResult {
  const ratings = ctx.evidence.ratings
    .filter((r) => r.recordingKind === "ROLE_PLAY" && (!step.frameworkId || r.frameworkId === step.frameworkId))
    .sort((a, b) => a.finalizedAt.getTime() - b.finalizedAt.getTime());
  const competent = ratings.find((r) => r.competent);
  if (competent) {
    return {
      state: "met",
      evidence: [ratingRef(competent, ctx)],
      missing: [],
      summary: `Role-play rated competent (${day(competent.finalizedAt)}).`,
      metAt: competent.finalizedAt,
    };
  }
  const last = ratings.at(-1);
  return {
    state: "not-yet",
    evidence: ratings.map((r) => ratingRef(r, ctx)),
    missing: [
      last
        ? `Your role-play was rated not yet competent (${day(last.finalizedAt)}): record another role-play for rating.`
        : "Upload a role-play recording and have it rated competent.",
    ],
    summary: last ? "No role-play rated competent yet." : "No rated role-play yet.",
    metAt: null,
  };
}

type Period = { c: CaseEvidence; start: number; end: number };

function periodOf(c: CaseEvidence, now: Date): Period {
  return { c, start: c.startedOn.getTime(), end: (c.closedOn ?? now).getTime() };
}

/** How long (ms) the periods are all open together; negative when they never are. */
function commonOverlap(periods: readonly Period[]): number {
  return Math.min(...periods.map((p) => p.end)) - Math.max(...periods.map((p) => p.start));
}

function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items as [T, ...T[]];
  return [...combinations(rest, k - 1).map((c) => [first, ...c]), ...combinations(rest, k)];
}

function caseRef(c: CaseEvidence): EvidenceRef {
  const closed = c.closedOn ? `, ${c.status === "WITHDRAWN" ? "withdrawn" : "ended"} ${day(c.closedOn)}` : ", open";
  return { kind: "case", id: c.id, hash: c.hash, label: `Case ${c.clientCode}: started ${day(c.startedOn)}${closed}` };
}

const byStart = (a: CaseEvidence, b: CaseEvidence) => a.startedOn.getTime() - b.startedOn.getTime() || a.id.localeCompare(b.id);

function countedCases(step: Extract<PathwayStep, { type: "concurrent-cases" }>, cases: readonly CaseEvidence[]): CaseEvidence[] {
  return cases.filter((c) => (step.countStatuses as readonly string[]).includes(c.status)).sort(byStart);
}

/** Whether these cases together meet a concurrent-cases rule, and since when. */
function concurrency(
  step: Extract<PathwayStep, { type: "concurrent-cases" }>,
  cases: readonly CaseEvidence[],
  now: Date,
): { ok: boolean; overlap: number; since: Date | null } {
  const periods = cases.map((c) => periodOf(c, now));
  const overlap = commonOverlap(periods);
  const need = step.minOverlapDays * DAY_MS;
  const ok = overlap >= need && cases.every((c) => (step.countStatuses as readonly string[]).includes(c.status));
  return { ok, overlap, since: ok ? new Date(Math.max(...periods.map((p) => p.start)) + need) : null };
}

function concurrentCasesStep(step: Extract<PathwayStep, { type: "concurrent-cases" }>, ctx: Ctx): StepResult {
  const counted = countedCases(step, ctx.evidence.cases);
  const excluded = ctx.evidence.cases.length - counted.length;
  const rule = `${step.count} cases open at the same time${step.minOverlapDays > 0 ? ` for at least ${plural(step.minOverlapDays, "day")}` : ""}`;
  if (counted.length < step.count) {
    const more = step.count - counted.length;
    return {
      state: "not-yet",
      evidence: counted.map(caseRef),
      missing: [
        `Register ${more === step.count ? "" : "another "}${plural(more, "supervised case")}: the pathway needs ${rule}${
          excluded > 0 ? " (withdrawn cases do not count)" : ""
        }.`,
      ],
      summary: `${plural(counted.length, "case")} so far; ${step.count} needed.`,
      metAt: null,
    };
  }
  const sets = combinations(counted, step.count).map((set) => ({ set, ...concurrency(step, set, ctx.now) }));
  const met = sets.filter((s) => s.ok).sort((a, b) => (a.since as Date).getTime() - (b.since as Date).getTime())[0];
  if (met) {
    return {
      state: "met",
      evidence: met.set.map(caseRef),
      missing: [],
      summary: `Cases ${met.set.map((c) => c.clientCode).join(" and ")} ran concurrently.`,
      metAt: met.since,
    };
  }
  const best = sets.sort((a, b) => b.overlap - a.overlap)[0] as (typeof sets)[number];
  const codes = best.set.map((c) => c.clientCode).join(" and ");
  const days = Math.floor(best.overlap / DAY_MS);
  const stillOpen = best.set.every((c) => c.closedOn === null);
  return {
    state: "not-yet",
    evidence: best.set.map(caseRef),
    missing: [
      best.overlap < 0
        ? `Your cases have not been open at the same time: the pathway needs ${rule}.`
        : `Cases ${codes} have been open together for ${plural(days, "day")}; the pathway needs ${rule}${
            stillOpen ? " (they will count once they have run together long enough)" : ""
          }.`,
    ],
    summary: "No concurrent cases yet.",
    metAt: null,
  };
}

function supervisionStep(step: Extract<PathwayStep, { type: "supervision-hours" }>, ctx: Ctx): StepResult {
  const need = Math.round(step.hours * 60);
  const confirmed = ctx.evidence.supervision
    .filter((e) => e.status === "CONFIRMED")
    .sort((a, b) => a.heldOn.getTime() - b.heldOn.getTime() || a.id.localeCompare(b.id));
  let total = 0;
  let metAt: Date | null = null;
  for (const e of confirmed) {
    total += e.minutes;
    if (metAt === null && total >= need) metAt = e.heldOn;
  }
  const pending = ctx.evidence.supervision.filter((e) => e.status === "PENDING").reduce((n, e) => n + e.minutes, 0);
  const queried = ctx.evidence.supervision.filter((e) => e.status === "QUERIED").reduce((n, e) => n + e.minutes, 0);
  const evidence: EvidenceRef[] = confirmed.map((e) => ({
    kind: "supervision",
    id: e.id,
    hash: e.hash,
    label: `${day(e.heldOn)}: ${formatHours(e.minutes)} of supervision, case ${ctx.caseCode(e.caseId)}`,
  }));
  const summary = `${formatHours(total)} of ${formatHours(need)} confirmed.`;
  if (metAt) return { state: "met", evidence, missing: [], summary, metAt };
  const waiting = [
    pending ? `${formatHours(pending)} awaiting your supervisor's confirmation` : null,
    queried ? `${formatHours(queried)} queried` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return {
    state: "not-yet",
    evidence,
    missing: [`${formatHours(need - total)} more confirmed supervision${waiting ? ` (${waiting})` : ""}.`],
    summary,
    metAt: null,
  };
}

type Slots = readonly z.infer<typeof Slot>[];

/** The competent final ratings of one case that fill `slots` (earliest first), and the slots left empty. */
function fillSlots(slots: Slots, ratings: readonly RatingEvidence[]): { chosen: RatingEvidence[]; empty: Slots } {
  const used = new Set<string>();
  const chosen: RatingEvidence[] = [];
  const empty: z.infer<typeof Slot>[] = [];
  for (const slot of slots) {
    const r = ratings.find((x) => x.phase === slot.phase && !used.has(x.recordingId));
    if (r) {
      used.add(r.recordingId);
      chosen.push(r);
    } else empty.push(slot);
  }
  return { chosen, empty };
}

/** Every injective assignment of the perCase entries to cases (or to none), cases in a fixed order. */
function assignments(n: number, cases: readonly CaseEvidence[]): (CaseEvidence | null)[][] {
  const out: (CaseEvidence | null)[][] = [];
  const walk = (i: number, acc: (CaseEvidence | null)[], used: Set<string>) => {
    if (i === n) {
      out.push([...acc]);
      return;
    }
    for (const c of cases) {
      if (used.has(c.id)) continue;
      used.add(c.id);
      acc.push(c);
      walk(i + 1, acc, used);
      acc.pop();
      used.delete(c.id);
    }
    acc.push(null);
    walk(i + 1, acc, used);
    acc.pop();
  };
  walk(0, [], new Set());
  return out;
}

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"];

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function caseRecordingsStep(step: Extract<PathwayStep, { type: "case-recordings" }>, ctx: Ctx, pathway: Pathway): StepResult {
  const rule = step.concurrentWith
    ? (pathway.steps.find((s) => s.id === step.concurrentWith) as Extract<PathwayStep, { type: "concurrent-cases" }>)
    : null;
  const competent = ctx.evidence.ratings
    .filter(
      (r) =>
        r.recordingKind === "CASE_SESSION" && r.caseId !== null && r.competent && (!step.frameworkId || r.frameworkId === step.frameworkId),
    )
    .sort((a, b) => a.finalizedAt.getTime() - b.finalizedAt.getTime() || a.ratingId.localeCompare(b.ratingId));
  const byCase = new Map<string, RatingEvidence[]>();
  for (const r of competent) byCase.set(r.caseId as string, [...(byCase.get(r.caseId as string) ?? []), r]);
  const cases = (rule ? countedCases(rule, ctx.evidence.cases) : [...ctx.evidence.cases].sort(byStart)).filter((c) => byCase.has(c.id));
  const totalSlots = step.perCase.reduce((n, s) => n + s.length, 0);

  type Option = { cases: (CaseEvidence | null)[]; fills: ReturnType<typeof fillSlots>[]; filled: number; metAt: Date | null };
  let best: Option | null = null;
  for (const assigned of assignments(step.perCase.length, cases)) {
    const present = assigned.filter((c): c is CaseEvidence => c !== null);
    if (rule && present.length >= 2 && !concurrency(rule, present, ctx.now).ok) continue;
    const fills = step.perCase.map((slots, i) => {
      const c = assigned[i];
      return c ? fillSlots(slots, byCase.get(c.id) ?? []) : { chosen: [], empty: slots };
    });
    const filled = fills.reduce((n, f) => n + f.chosen.length, 0);
    const metAt = filled === totalSlots ? latest(fills.flatMap((f) => f.chosen.map((r) => r.finalizedAt))) : null;
    const better =
      !best ||
      filled > best.filled ||
      (filled === best.filled && metAt !== null && best.metAt !== null && metAt.getTime() < best.metAt.getTime());
    if (better) best = { cases: assigned, fills, filled, metAt };
  }
  const picked = best as Option | null;
  const chosen = picked ? picked.fills.flatMap((f) => f.chosen) : [];
  const evidence = chosen.map((r) => ratingRef(r, ctx));
  const summary = `${chosen.length} of ${plural(totalSlots, "recording")} rated competent where the pathway needs them.`;
  if (picked?.metAt) return { state: "met", evidence, missing: [], summary, metAt: picked.metAt };

  const missing: string[] = [];
  let unassigned = 0;
  step.perCase.forEach((slots, i) => {
    const c = picked?.cases[i] ?? null;
    const fill = picked?.fills[i];
    if (c && fill) {
      for (const slot of fill.empty) missing.push(`${cap(slot.label)} of case ${c.clientCode}, rated competent.`);
      return;
    }
    const anyAssigned = picked?.cases.some((x) => x !== null) ?? false;
    const which = anyAssigned ? "another" : unassigned === 0 ? "a" : `a ${ORDINALS[unassigned] ?? "further"}`;
    unassigned += 1;
    const together = rule && step.perCase.length > 1 ? " (open at the same time as the other cases)" : "";
    missing.push(
      `${cap(slots.length > 1 ? joinAnd(slots.map((s) => s.label)) : (slots[0]?.label ?? ""))} of ${which} case${together}, rated competent.`,
    );
  });
  return { state: "not-yet", evidence, missing, summary, metAt: null };
}

function caseStudyStep(step: Extract<PathwayStep, { type: "case-study" }>, { evidence }: Ctx): StepResult {
  const studies = [...evidence.caseStudies].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  const counts = (m: CaseStudyMarkEvidence | null): m is CaseStudyMarkEvidence =>
    m !== null && m.outcome === "PASS" && m.markerRoles.some((r) => step.markerRoles.includes(r));
  const passed = studies.find((s) => counts(s.mark));
  if (passed?.mark) {
    return {
      state: "met",
      evidence: [
        {
          kind: "case-study-mark",
          id: passed.mark.id,
          hash: passed.mark.hash,
          label: `Case study “${passed.title}”: passed ${day(passed.mark.markedAt)}`,
        },
      ],
      missing: [],
      summary: `Case study passed (${day(passed.mark.markedAt)}).`,
      metAt: passed.mark.markedAt,
    };
  }
  const refs: EvidenceRef[] = studies.flatMap((s) =>
    s.mark
      ? [
          {
            kind: "case-study-mark" as const,
            id: s.mark.id,
            hash: s.mark.hash,
            label: `Case study “${s.title}”: ${s.mark.outcome === "PASS" ? "pass" : "referred"} ${day(s.mark.markedAt)}`,
          },
        ]
      : [],
  );
  const last = studies.at(-1);
  const who = joinAnd(step.markerRoles.map((r) => r.toLowerCase()));
  let missing: string;
  if (!last) missing = "Submit your written case study.";
  else if (last.status === "SUBMITTED") missing = `Your case study “${last.title}” is awaiting marking by a ${who}.`;
  else if (last.mark?.outcome === "REFER") missing = `Your case study was referred: read the feedback and submit a revised case study.`;
  else missing = `A pass from a ${who}: the pass recorded was not given by one.`;
  return {
    state: "not-yet",
    evidence: refs,
    missing: [missing],
    summary: last ? "Case study not passed yet." : "No case study submitted yet.",
    metAt: null,
  };
}

function milestoneAt(m: Milestone, done: ReadonlyMap<string, StepEvaluation>, ctx: Ctx): Date | null {
  if ("event" in m) return ctx.evidence.cases.length ? new Date(Math.min(...ctx.evidence.cases.map((c) => c.startedOn.getTime()))) : null;
  const steps = m.steps.map((id) => done.get(id));
  if (steps.some((s) => s?.state !== "met" || !s.metAt)) return null;
  return latest(steps.map((s) => s?.metAt as Date));
}

function timeLimitStep(
  step: Extract<PathwayStep, { type: "time-limit" }>,
  ctx: Ctx,
  done: ReadonlyMap<string, StepEvaluation>,
): StepResult {
  const from = milestoneAt(step.from, done, ctx);
  const to = milestoneAt(step.to, done, ctx);
  const limit = `${plural(step.withinMonths, "month")}`;
  if (to && (!from || to.getTime() <= addMonths(from, step.withinMonths).getTime())) {
    return {
      state: "met",
      evidence: [],
      missing: [],
      summary: from
        ? `${cap(step.to.label)} (${day(to)}) came within ${limit} of ${step.from.label} (${day(from)}).`
        : `${cap(step.to.label)} (${day(to)}) came before ${step.from.label}, so it is within the limit.`,
      metAt: to,
    };
  }
  if (!from) {
    return {
      state: "not-yet",
      evidence: [],
      missing: [`${cap(step.to.label)} within ${limit} of ${step.from.label}.`],
      summary: `The ${limit} start with ${step.from.label}.`,
      metAt: null,
    };
  }
  const deadline = addMonths(from, step.withinMonths);
  if (to) {
    return {
      state: "blocked",
      evidence: [],
      missing: [step.onExceeded],
      summary: `${cap(step.to.label)} (${day(to)}) came more than ${limit} after ${step.from.label} (${day(from)}; the deadline was ${day(deadline)}).`,
      metAt: null,
    };
  }
  if (ctx.now.getTime() > deadline.getTime()) {
    return {
      state: "blocked",
      evidence: [],
      missing: [step.onExceeded],
      summary: `The deadline for ${step.to.label}, ${limit} after ${step.from.label} (${day(from)}), passed on ${day(deadline)}.`,
      metAt: null,
    };
  }
  return {
    state: "not-yet",
    evidence: [],
    missing: [`${cap(step.to.label)} by ${day(deadline)} (${limit} after ${step.from.label}).`],
    summary: `Deadline ${day(deadline)}.`,
    metAt: null,
  };
}

/**
 * Evaluates a trainee's evidence against a pathway at `now`: every step's state, the evidence that meets it (ids
 * and hashes) and what is missing. Time limits are evaluated after the steps they measure; a time limit that has
 * passed is "blocked" (it cannot be met by more evidence: docs/pathways.md). Complete = every step met.
 */
export function evaluatePathway(pathway: Pathway, evidence: PathwayEvidence, now: Date): PathwayEvaluation {
  const codes = new Map(evidence.cases.map((c) => [c.id, c.clientCode]));
  const ctx: Ctx = { evidence, now, caseCode: (id) => (id ? (codes.get(id) ?? "?") : "?") };
  const done = new Map<string, StepEvaluation>();
  const evaluate = (step: PathwayStep): StepResult => {
    switch (step.type) {
      case "modules":
        return modulesStep(step, ctx);
      case "quizzes":
        return quizzesStep(step, ctx);
      case "role-play":
        return rolePlayStep(step, ctx);
      case "concurrent-cases":
        return concurrentCasesStep(step, ctx);
      case "supervision-hours":
        return supervisionStep(step, ctx);
      case "case-recordings":
        return caseRecordingsStep(step, ctx, pathway);
      case "case-study":
        return caseStudyStep(step, ctx);
      case "time-limit":
        return timeLimitStep(step, ctx, done);
    }
  };
  for (const step of pathway.steps.filter((s) => s.type !== "time-limit")) {
    done.set(step.id, { id: step.id, title: step.title, type: step.type, ...evaluate(step) });
  }
  for (const step of pathway.steps.filter((s) => s.type === "time-limit")) {
    done.set(step.id, { id: step.id, title: step.title, type: step.type, ...evaluate(step) });
  }
  const steps = pathway.steps.map((s) => done.get(s.id) as StepEvaluation);
  return { pathwayId: pathway.id, pathwayVersion: pathway.version, complete: steps.every((s) => s.state === "met"), steps };
}

/** Words for a step's state. */
export const STEP_STATE_LABELS: Record<StepState, string> = { met: "Met", "not-yet": "Not yet", blocked: "Blocked" };

/** Every piece of evidence the evaluation rests on (the met steps'), e.g. for a certificate's snapshot. */
export function evidenceOf(evaluation: PathwayEvaluation): EvidenceRef[] {
  return evaluation.steps.filter((s) => s.state === "met").flatMap((s) => s.evidence);
}
