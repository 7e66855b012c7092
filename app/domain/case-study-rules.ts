import { z } from "zod";

/**
 * Rules for written case studies (docs/pathways.md): when a trainee may submit one, the forms' schemas, and the
 * words for states and outcomes. Pure.
 */

export const CASE_STUDY_STATUSES = ["SUBMITTED", "PASSED", "REFERRED"] as const;
export type CaseStudyStatus = (typeof CASE_STUDY_STATUSES)[number];
export const CASE_STUDY_STATUS_LABELS: Record<CaseStudyStatus, string> = {
  SUBMITTED: "Awaiting marking",
  PASSED: "Passed",
  REFERRED: "Referred",
};

export const CASE_STUDY_OUTCOMES = ["PASS", "REFER"] as const;
export type CaseStudyOutcome = (typeof CASE_STUDY_OUTCOMES)[number];
export const CASE_STUDY_OUTCOME_LABELS: Record<CaseStudyOutcome, string> = { PASS: "Pass", REFER: "Refer" };

export type SubmissionDecision = { ok: true; previousId: string | null } | { ok: false; reason: "awaiting-marking" | "passed" };

/**
 * Whether a trainee may submit a case study now, given theirs: not while one awaits marking, not once one has
 * passed; after a referral the new one revises the latest referred one (the history is kept).
 */
export function nextSubmission(studies: readonly { id: string; status: CaseStudyStatus; submittedAt: Date }[]): SubmissionDecision {
  if (studies.some((s) => s.status === "PASSED")) return { ok: false, reason: "passed" };
  if (studies.some((s) => s.status === "SUBMITTED")) return { ok: false, reason: "awaiting-marking" };
  const latest = [...studies].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())[0];
  return { ok: true, previousId: latest?.id ?? null };
}

export const SUBMISSION_REFUSALS: Record<Exclude<SubmissionDecision, { ok: true }>["reason"], string> = {
  "awaiting-marking": "Your case study is awaiting marking: you can submit a revised one only if it is referred.",
  passed: "Your case study has passed: there is nothing more to submit.",
};

/** The text fields sent with the document. */
export const CaseStudyFieldsSchema = z.object({
  title: z
    .string({ error: "Give the case study a title" })
    .trim()
    .min(3, "Give the case study a title (at least 3 characters)")
    .max(200, "Use at most 200 characters"),
  caseId: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : null)),
});

export const CaseStudyMarkSchema = z.object({
  outcome: z.enum(CASE_STUDY_OUTCOMES, { error: "Choose pass or refer" }),
  feedback: z
    .string({ error: "Write feedback for the trainee" })
    .trim()
    .min(1, "Write feedback for the trainee")
    .max(10_000, "Use at most 10,000 characters"),
});

/** The document types a case study may be (checked from the content by app/media/document.server.ts). */
export type DocumentType = { ext: "pdf" | "docx" | "odt" | "txt"; mime: string; label: string };

export const DOCUMENT_TYPES: readonly DocumentType[] = [
  { ext: "pdf", mime: "application/pdf", label: "PDF" },
  { ext: "docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word (DOCX)" },
  { ext: "odt", mime: "application/vnd.oasis.opendocument.text", label: "OpenDocument text (ODT)" },
  { ext: "txt", mime: "text/plain; charset=utf-8", label: "plain text" },
];

export const ACCEPTED_DOCUMENTS = "PDF, Word (DOCX), OpenDocument text (ODT) or plain text (UTF-8)";

/** "20 MiB", "256 KiB", "1.5 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}
