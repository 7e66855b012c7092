import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { RETENTION_REASON_MAX, type RetentionDone, type RetentionErrorCode } from "#app/components/recording-retention-forms";
import { getDb } from "#app/db.server";
import type { Action } from "#app/domain/permissions";
import { formToObject, parseWith, readForm } from "#app/forms/parse";
import { getRecording, relationsToRecording } from "#app/models/recording.server";
import { releaseLegalHold, setLegalHold, withdrawRecording } from "#app/models/recording-retention.server";

/**
 * Retention actions on one recording (no page of its own: the forms are
 * app/components/recording-retention-forms.tsx on the recording's page).
 * Whoever may see the recording passes the gate; then `withdraw` needs
 * recording:withdraw (its trainee) and `hold`/`release` recording:hold
 * (administrators). Everyone else gets a 404. Every outcome, error or not,
 * redirects back to the recording's page (works without JavaScript).
 */

const Reason = z
  .string()
  .trim()
  .max(RETENTION_REASON_MAX, "reason-too-long" satisfies RetentionErrorCode);

const RetentionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("withdraw"), confirm: z.literal("yes", { error: "confirm-required" satisfies RetentionErrorCode }) }),
  z.object({
    intent: z.literal("hold"),
    reason: z
      .string({ error: "reason-required" satisfies RetentionErrorCode })
      .pipe(Reason)
      .refine((r) => r.length > 0, "reason-required" satisfies RetentionErrorCode),
  }),
  z.object({ intent: z.literal("release"), reason: Reason.optional() }),
]);

const PERMISSION = new Map<string, Action>([
  ["withdraw", "recording:withdraw"],
  ["hold", "recording:hold"],
  ["release", "recording:hold"],
]);

function back(id: string, query: string) {
  return redirect(`/recordings/${encodeURIComponent(id)}?${query}#retention`, 303);
}
const done = (id: string, what: RetentionDone) => back(id, `retention=${what}`);
const problem = (id: string, code: RetentionErrorCode) => back(id, `retention-error=${code}`);

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "recording:play");
  const db = getDb();
  const recording = args.params.recordingId ? await getRecording(db, args.params.recordingId) : null;
  if (!recording) throw notFound();
  const relations = relationsToRecording(user, recording);
  requireOn(user, "recording:play", relations);
  const values = formToObject(await readForm(args.request));
  const permission = PERMISSION.get(String(values.intent ?? ""));
  if (!permission) return problem(recording.id, "unknown-intent");
  requireOn(user, permission, relations);
  const parsed = parseWith(RetentionForm, values);
  // The schema's messages are the problem codes the page turns into words.
  if (!parsed.ok) return problem(recording.id, Object.values(parsed.errors)[0] as RetentionErrorCode);
  const form = parsed.data;
  const [result, what] =
    form.intent === "withdraw"
      ? [await withdrawRecording(db, { recordingId: recording.id, ownerId: user.id }), "withdrawn" as const]
      : form.intent === "hold"
        ? [await setLegalHold(db, { recordingId: recording.id, actorId: user.id, reason: form.reason }), "held" as const]
        : [await releaseLegalHold(db, { recordingId: recording.id, actorId: user.id, reason: form.reason || null }), "released" as const];
  if (result.ok) return done(recording.id, what);
  if (result.problem === "not-found") throw notFound();
  return problem(recording.id, result.problem);
}
