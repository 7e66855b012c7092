import { z } from "zod";

/**
 * Rules for supervised training cases: what a pseudonymous client code may
 * look like, which status changes are allowed, and the forms' schemas. Pure.
 */

function realDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A YYYY-MM-DD date field, as midnight UTC (shared by the forms that take dates). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD")
  .refine(realDate, "Enter a real date")
  .transform((v) => new Date(`${v}T00:00:00.000Z`));

/** The last moment of "today" (UTC): dates after it are in the future. */
export function endOfToday(now: Date): Date {
  const d = new Date(now);
  d.setUTCHours(23, 59, 59, 999);
  return d;
}

const DATE_LIKE = [
  /(?:19|20)\d{2}[-./]?(?:0[1-9]|1[0-2])[-./]?(?:0[1-9]|[12]\d|3[01])/, // yyyymmdd
  /(?:0[1-9]|[12]\d|3[01])[-./]?(?:0[1-9]|1[0-2])[-./]?(?:(?:19|20)?\d{2})(?!\d)/, // ddmmyy(yy)
];

export type ClientCodeProblem = "format" | "no-digit" | "date-like";

/**
 * Why a client code is unsafe, or null when it is acceptable. A code is 4–16
 * characters of capital letters, digits and hyphens with at least one digit
 * (so initials alone are refused) and nothing that reads as a date (a date of
 * birth is identifying). This is a guard against slips, not a proof of
 * anonymity: the form tells the trainee plainly what never to enter.
 */
export function clientCodeProblem(code: string): ClientCodeProblem | null {
  if (!/^[A-Z0-9-]{4,16}$/.test(code)) return "format";
  if (!/\d/.test(code)) return "no-digit";
  if (DATE_LIKE.some((re) => re.test(code))) return "date-like";
  return null;
}

const CLIENT_CODE_MESSAGES: Record<ClientCodeProblem, string> = {
  format: "Use 4–16 capital letters, digits or hyphens, e.g. C-0417",
  "no-digit": "Include at least one digit: a code of letters alone can be someone's initials",
  "date-like": "This looks like a date. Never use a date of birth or any other date in a client code",
};

export const ClientCodeSchema = z
  .string({ error: "Enter a client code" })
  .trim()
  .toUpperCase()
  .min(1, "Enter a client code")
  .superRefine((code, ctx) => {
    const problem = clientCodeProblem(code);
    if (problem) ctx.addIssue({ code: "custom", message: CLIENT_CODE_MESSAGES[problem] });
  });

export function NewCaseSchema(now: Date) {
  return z.object({
    clientCode: ClientCodeSchema,
    startedOn: z
      .string({ error: "Enter the date of the first session" })
      .min(1, "Enter the date of the first session")
      .pipe(isoDate)
      .refine((d) => d <= endOfToday(now), "The start date cannot be in the future"),
    supervisorId: z.string({ error: "Choose a supervisor" }).min(1, "Choose a supervisor"),
  });
}

export const CASE_STATUSES = ["OPEN", "ENDED", "WITHDRAWN"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = { OPEN: "Open", ENDED: "Ended", WITHDRAWN: "Withdrawn" };

/** An open case can be ended (all planned work done) or withdrawn (stopped early); both are final. */
export function canChangeStatus(from: CaseStatus, to: CaseStatus): boolean {
  return from === "OPEN" && to !== "OPEN";
}

export const CaseStatusSchema = z.object({
  status: z.enum(["ENDED", "WITHDRAWN"], { error: "Choose ended or withdrawn" }),
});

const optionalScore = (max: number, name: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined ? "" : v.trim()))
    .refine((v) => v === "" || /^\d{1,2}$/.test(v), `Enter the ${name} total as a whole number`)
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((v) => v === null || v <= max, `The ${name} total is between 0 and ${max}`);

/** A session's number, date and routine outcome measures (totals only). */
export function SessionSchema({ sessions, startedOn, now }: { sessions: number; startedOn: Date; now: Date }) {
  return z.object({
    number: z
      .string({ error: "Enter the session number" })
      .trim()
      .regex(/^\d{1,2}$/, `Enter a session number from 1 to ${sessions}`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= sessions, `Enter a session number from 1 to ${sessions}`),
    heldOn: z
      .string({ error: "Enter the session date" })
      .min(1, "Enter the session date")
      .pipe(isoDate)
      .refine((d) => d >= startedOn, "A session cannot be before the case started")
      .refine((d) => d <= endOfToday(now), "A session date cannot be in the future"),
    phq9: optionalScore(27, "PHQ-9"),
    gad7: optionalScore(21, "GAD-7"),
  });
}

/** One supervision meeting. At most 8 hours: longer entries are almost always typing slips. */
export function SupervisionSchema(now: Date) {
  return z.object({
    heldOn: z
      .string({ error: "Enter the date of the supervision" })
      .min(1, "Enter the date of the supervision")
      .pipe(isoDate)
      .refine((d) => d <= endOfToday(now), "A supervision date cannot be in the future"),
    minutes: z
      .string({ error: "Enter the length in minutes" })
      .trim()
      .regex(/^\d{1,3}$/, "Enter the length in whole minutes")
      .transform(Number)
      .refine((m) => m >= 5 && m <= 480, "Enter between 5 and 480 minutes"),
    notes: z.string().trim().max(2000, "Use at most 2,000 characters").optional().default(""),
  });
}

export const SupervisionReviewSchema = z
  .object({
    entryId: z.string().min(1),
    decision: z.enum(["CONFIRMED", "QUERIED"], { error: "Confirm or query the entry" }),
    reviewNote: z.string().trim().max(1000, "Use at most 1,000 characters").optional().default(""),
  })
  .refine((r) => r.decision !== "QUERIED" || r.reviewNote.length > 0, {
    path: ["reviewNote"],
    message: "Say what needs checking when you query an entry",
  });

export const CONSENT_METHODS = ["WRITTEN_FORM", "ELECTRONIC_FORM", "RECORDED_VERBAL"] as const;
export const CONSENT_METHOD_LABELS: Record<(typeof CONSENT_METHODS)[number], string> = {
  WRITTEN_FORM: "Signed paper consent form",
  ELECTRONIC_FORM: "Signed electronic consent form",
  RECORDED_VERBAL: "Verbal consent, recorded in the clinical notes",
};

export function ConsentSchema(now: Date) {
  return z
    .object({
      consentOn: z
        .string({ error: "Enter the date consent was given" })
        .min(1, "Enter the date consent was given")
        .pipe(isoDate)
        .refine((d) => d <= endOfToday(now), "The consent date cannot be in the future"),
      method: z.enum(CONSENT_METHODS, { error: "Say how consent was recorded" }),
      forSupervision: z
        .string()
        .optional()
        .transform((v) => v === "on"),
      forAssessment: z
        .string()
        .optional()
        .transform((v) => v === "on"),
      confirm: z.literal("on", { error: "Confirm that the client gave this consent" }),
    })
    .refine((c) => c.forSupervision || c.forAssessment, {
      path: ["forSupervision"],
      message: "Choose what the client consented to",
    });
}

export type SupervisionEntryLike = { minutes: number; status: "PENDING" | "CONFIRMED" | "QUERIED" };
export type SupervisionTotals = { confirmedMinutes: number; pendingMinutes: number; queriedMinutes: number };

/** Supervision totals: only confirmed minutes count towards requirements. */
export function supervisionTotals(entries: readonly SupervisionEntryLike[]): SupervisionTotals {
  const totals: SupervisionTotals = { confirmedMinutes: 0, pendingMinutes: 0, queriedMinutes: 0 };
  for (const e of entries) {
    if (e.status === "CONFIRMED") totals.confirmedMinutes += e.minutes;
    else if (e.status === "PENDING") totals.pendingMinutes += e.minutes;
    else totals.queriedMinutes += e.minutes;
  }
  return totals;
}

/** "12 h 30 min", "45 min", "0 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export type ConsentLike = { forSupervision: boolean; forAssessment: boolean; withdrawnAt: Date | null };

/** Whether a recording for `purpose` may be uploaded: a current attestation covering it. */
export function consentAllows(consents: readonly ConsentLike[], purpose: "supervision" | "assessment"): boolean {
  return consents.some((c) => c.withdrawnAt === null && (purpose === "supervision" ? c.forSupervision : c.forAssessment));
}
