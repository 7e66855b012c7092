import { z } from "zod";
import { endOfToday, isoDate } from "#app/domain/case-rules";
import { addMonths } from "#app/domain/pathway";

/**
 * Rules of a certificate's life (docs/certificates.md, ADR 0033): what a
 * verifier is told, which status changes are allowed, expiry and its notice,
 * renewal by CPD, and the evidence snapshot. Pure.
 *
 * "Expired" is not stored as a status: it follows from the expiry date, so a
 * certificate is never shown as valid past its date, even before the daily
 * job has recorded the expiry.
 */

export type CertificateStatus = "ACTIVE" | "SUSPENDED" | "REVOKED";
export type PublicStatus = "valid" | "suspended" | "revoked" | "expired";

export const PUBLIC_STATUS_LABELS: Record<PublicStatus, string> = {
  valid: "Valid",
  suspended: "Suspended",
  revoked: "Revoked",
  expired: "Expired",
};

const DAY = 24 * 60 * 60 * 1000;

export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/**
 * What a verifier is told. Revocation is final and says most; an expired
 * certificate cannot come back by reinstatement (only by a renewal, which is a
 * new certificate), so expiry outranks suspension.
 */
export function publicStatus(cert: { status: CertificateStatus; expiresAt: Date | null }, now: Date): PublicStatus {
  if (cert.status === "REVOKED") return "revoked";
  if (isExpired(cert.expiresAt, now)) return "expired";
  if (cert.status === "SUSPENDED") return "suspended";
  return "valid";
}

export const EVENT_LABELS = {
  ISSUED: "Issued",
  SUSPENDED: "Suspended",
  REINSTATED: "Reinstated",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
  RENEWED: "Renewed",
  EXPIRY_NOTICE: "Expiry notice sent",
} as const;
export type CertificateEventType = keyof typeof EVENT_LABELS;

/** The register opt-in form: join or leave. */
export const RegisterChoiceSchema = z.object({ onRegister: z.enum(["yes", "no"], { error: "Choose whether to be listed" }) });

// ---- Notices ----------------------------------------------------------------------------------------------------

/** Events the holder is told of (home page; mail when SMTP is set). */
export const NOTICE_TYPES = ["ISSUED", "SUSPENDED", "REINSTATED", "REVOKED", "RENEWED", "EXPIRY_NOTICE"] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** What a notice says, on the home page and in the mail: no reason, nothing clinical (the holder signs in for that). */
export function noticeText(type: NoticeType, credential: string, expiresAt: Date | null): string {
  switch (type) {
    case "ISSUED":
      return `Your ${credential} certificate has been issued.`;
    case "SUSPENDED":
      return `Your ${credential} certificate has been suspended.`;
    case "REINSTATED":
      return `Your ${credential} certificate has been reinstated.`;
    case "REVOKED":
      return `Your ${credential} certificate has been revoked.`;
    case "RENEWED":
      return `Your ${credential} certificate has been renewed${expiresAt ? `: the new one is valid until ${longDate.format(expiresAt)}` : ""}.`;
    case "EXPIRY_NOTICE":
      return `Your ${credential} certificate expires on ${expiresAt ? longDate.format(expiresAt) : "its expiry date"}. Log your CPD so that it can be renewed.`;
  }
}

// ---- Dates -------------------------------------------------------------------------------------------------------

/** The expiry of a certificate issued at `issuedAt`; null when the credential does not expire (validityMonths null). */
export function expiryFor(issuedAt: Date, validityMonths: number | null): Date | null {
  return validityMonths === null ? null : addMonths(issuedAt, validityMonths);
}

/** How long before expiry the holder is told, once. */
export const EXPIRY_NOTICE_DAYS = 60;

type Expiring = { status: CertificateStatus; expiresAt: Date | null; expiryNoticeAt: Date | null; renewed: boolean };

/**
 * Whether the 60-day notice is due now: an active certificate with an expiry
 * at most 60 days away, not yet past, not renewed, and not told before.
 */
export function expiryNoticeDue(cert: Expiring, now: Date): boolean {
  if (cert.status !== "ACTIVE" || cert.expiresAt === null || cert.expiryNoticeAt !== null || cert.renewed) return false;
  if (isExpired(cert.expiresAt, now)) return false;
  return cert.expiresAt.getTime() - now.getTime() <= EXPIRY_NOTICE_DAYS * DAY;
}

/** Whether an expiry has passed that the daily job has not recorded yet (revoked ones are not "expired"). */
export function expiryToRecord(cert: { status: CertificateStatus; expiresAt: Date | null; expiredAt: Date | null }, now: Date): boolean {
  return cert.status !== "REVOKED" && cert.expiredAt === null && isExpired(cert.expiresAt, now);
}

// ---- Status changes ----------------------------------------------------------------------------------------------

export const STATUS_CHANGES = ["suspend", "reinstate", "revoke"] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

/** The status each change leads to. */
export const STATUS_AFTER: Record<StatusChange, CertificateStatus> = { suspend: "SUSPENDED", reinstate: "ACTIVE", revoke: "REVOKED" };

/**
 * Why `change` cannot be made to this certificate now, or null when it can.
 * Suspension is reversible (reinstate); revocation is final. An expired
 * certificate can still be revoked (e.g. fraud found later), not suspended or
 * reinstated.
 */
export function statusChangeProblem(
  change: StatusChange,
  cert: { status: CertificateStatus; expiresAt: Date | null },
  now: Date,
): string | null {
  if (cert.status === "REVOKED") return "This certificate is revoked; revocation is final.";
  const expired = isExpired(cert.expiresAt, now);
  switch (change) {
    case "suspend":
      if (cert.status !== "ACTIVE") return "Only an active certificate can be suspended.";
      return expired ? "This certificate has expired; it can no longer be suspended." : null;
    case "reinstate":
      if (cert.status !== "SUSPENDED") return "Only a suspended certificate can be reinstated.";
      return expired ? "This certificate has expired while suspended; it can no longer be reinstated." : null;
    case "revoke":
      return null;
  }
}

const reason = (what: string) =>
  z
    .string({ error: `Give the reason for the ${what}` })
    .trim()
    .min(5, `Give the reason for the ${what} (at least 5 characters)`)
    .max(1000, "Use at most 1,000 characters");

/** The admin's status-change forms: a reason for suspension and revocation; revocation also needs its confirmation. */
export const StatusChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("suspend"), reason: reason("suspension") }),
  z.object({
    intent: z.literal("reinstate"),
    reason: z
      .string()
      .trim()
      .max(1000, "Use at most 1,000 characters")
      .optional()
      .transform((v) => v || null),
  }),
  z.object({
    intent: z.literal("revoke"),
    reason: reason("revocation"),
    confirm: z.literal("yes", { error: "Confirm that revocation is final" }),
  }),
]);

// ---- Renewal and CPD ---------------------------------------------------------------------------------------------

/**
 * A pathway's renewal rule (its `certificate` block): at least `cpdHours` of
 * CPD logged in the last `periodMonths` — and since the certificate was
 * issued — renews it for another `validityMonths`, counted from the old
 * expiry (or from the renewal, if the old one has lapsed).
 */
export type RenewalRule = { cpdHours: number; periodMonths: number; validityMonths: number };

export const CPD_KINDS = ["CLINICAL", "GENERAL"] as const;
export type CpdKind = (typeof CPD_KINDS)[number];
export const CPD_KIND_LABELS: Record<CpdKind, string> = { CLINICAL: "Clinical", GENERAL: "General" };

export type CpdLike = { id: string; date: Date; hours: number; kind: CpdKind };

/** Entries dated on or after the day of `since` (CPD is logged by day). */
export function cpdSince<T extends CpdLike>(entries: readonly T[], since: Date): T[] {
  const day = new Date(since);
  day.setUTCHours(0, 0, 0, 0);
  return entries.filter((e) => e.date.getTime() >= day.getTime());
}

/** Hours, to the quarter hour (sums of quarter hours are exact in floating point). */
export function sumHours(entries: readonly { hours: number }[]): number {
  return entries.reduce((total, e) => total + e.hours, 0);
}

export function formatHours(hours: number): string {
  return `${Number.isInteger(hours) ? hours : hours.toFixed(2).replace(/0$/, "")} ${hours === 1 ? "hour" : "hours"}`;
}

type Renewable = { status: CertificateStatus; issuedAt: Date; expiresAt: Date | null; renewed: boolean };

export type RenewalCheck = {
  /** CPD is counted from this day on: the later of the day of issue and `periodMonths` ago. */
  countedSince: Date;
  hoursLogged: number;
  hoursClinical: number;
  hoursRequired: number;
  /** Null when it can be renewed now. */
  problem: string | null;
  /** The expiry a renewal now would give. */
  newExpiry: Date | null;
};

/** The first day whose CPD counts for renewing a certificate issued at `issuedAt`, at `now`. */
export function cpdWindowStart(issuedAt: Date, periodMonths: number | null, now: Date): Date {
  const window = periodMonths === null ? issuedAt : addMonths(now, -periodMonths);
  const start = new Date(Math.max(issuedAt.getTime(), window.getTime()));
  start.setUTCHours(0, 0, 0, 0);
  return start;
}

/**
 * Whether the certificate can be renewed now under `rule` (null: the
 * credential does not expire), counting the holder's CPD in the rule's window.
 */
export function renewalCheck(input: { rule: RenewalRule | null; cert: Renewable; entries: readonly CpdLike[]; now: Date }): RenewalCheck {
  const { rule, cert, now } = input;
  const countedSince = cpdWindowStart(cert.issuedAt, rule?.periodMonths ?? null, now);
  const counted = cpdSince(input.entries, countedSince).filter((e) => e.date.getTime() <= now.getTime());
  const hoursLogged = sumHours(counted);
  const hoursClinical = sumHours(counted.filter((e) => e.kind === "CLINICAL"));
  const hoursRequired = rule?.cpdHours ?? 0;
  const base = { countedSince, hoursLogged, hoursClinical, hoursRequired };
  const refuse = (problem: string): RenewalCheck => ({ ...base, problem, newExpiry: null });
  if (cert.expiresAt === null || rule === null) return refuse("This certificate does not expire, so it is not renewed.");
  if (cert.renewed) return refuse("This certificate has already been renewed.");
  if (cert.status === "REVOKED") return refuse("A revoked certificate cannot be renewed.");
  if (cert.status === "SUSPENDED") return refuse("A suspended certificate must be reinstated before it is renewed.");
  const from = isExpired(cert.expiresAt, now) ? now : cert.expiresAt;
  const newExpiry = addMonths(from, rule.validityMonths);
  if (hoursLogged < hoursRequired) {
    const since = countedSince.toISOString().slice(0, 10);
    return {
      ...base,
      problem: `${formatHours(hoursLogged)} of CPD logged since ${since}; renewal needs ${formatHours(hoursRequired)}.`,
      newExpiry,
    };
  }
  return { ...base, problem: null, newExpiry };
}

/** One CPD entry as typed: a day (not in the future), hours in quarter hours (0.25–24), kind and what it was. */
export function CpdEntrySchema(now: Date) {
  return z.object({
    date: z
      .string({ error: "Enter the date" })
      .min(1, "Enter the date")
      .pipe(isoDate)
      .refine((d) => d <= endOfToday(now), "A CPD date cannot be in the future"),
    hours: z
      .string({ error: "Enter the hours" })
      .trim()
      .regex(/^\d{1,2}(?:\.\d{1,2})?$/, "Enter hours as a number, e.g. 1.5")
      .transform(Number)
      .refine((h) => h >= 0.25 && h <= 24, "Enter between 0.25 and 24 hours")
      .refine((h) => Number.isInteger(h * 4), "Enter hours in quarter hours (e.g. 0.25, 1.5, 2.75)"),
    kind: z.enum(CPD_KINDS, { error: "Choose clinical or general" }),
    description: z.string({ error: "Describe the activity" }).trim().min(3, "Describe the activity").max(500, "Use at most 500 characters"),
  });
}
