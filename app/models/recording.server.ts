import { randomBytes } from "node:crypto";
import type { Db, DbTx } from "#app/db.server";
import { consentAllows } from "#app/domain/case-rules";
import type { Relation } from "#app/domain/permissions";
import type { RecordingKind } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";

/**
 * Session recordings: the database side (who, what, consent, state, wrapped
 * key, retention). The bytes are elsewhere, encrypted (app/storage/); the
 * workflows that move them live in app/recordings/.
 */

/** What a recording is of: a session of one of the trainee's cases, or a role-play assessment. */
export type UploadTarget = { kind: "CASE_SESSION"; caseSessionId: string } | { kind: "ROLE_PLAY" };

export type TargetProblem = "not-found" | "case-closed" | "no-consent";

/**
 * Whether `ownerId` may upload a recording of `target` now, and under which
 * consent: the session must belong to an open case of theirs, and a current
 * attestation must cover assessment. A role-play needs the actor's consent,
 * attested without a case.
 */
export async function uploadTargetFor(
  db: DbTx,
  ownerId: string,
  target: UploadTarget,
): Promise<{ ok: true; consentId: string; caseSessionId: string | null } | { ok: false; problem: TargetProblem }> {
  if (target.kind === "ROLE_PLAY") {
    const consent = await db.consentAttestation.findFirst({
      where: { attestedById: ownerId, caseId: null, withdrawnAt: null, forAssessment: true },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    return consent ? { ok: true, consentId: consent.id, caseSessionId: null } : { ok: false, problem: "no-consent" };
  }
  const session = await db.caseSession.findFirst({
    where: { id: target.caseSessionId, case: { traineeId: ownerId } },
    select: {
      id: true,
      case: {
        select: {
          status: true,
          consents: { orderBy: { createdAt: "desc" }, select: { id: true, forSupervision: true, forAssessment: true, withdrawnAt: true } },
        },
      },
    },
  });
  if (!session) return { ok: false, problem: "not-found" };
  if (session.case.status !== "OPEN") return { ok: false, problem: "case-closed" };
  const consent = session.case.consents.find((c) => consentAllows([c], "assessment"));
  return consent ? { ok: true, consentId: consent.id, caseSessionId: session.id } : { ok: false, problem: "no-consent" };
}

/** A random, unguessable upload id for the tus URL (not the recording id). */
export function newUploadId(): string {
  return randomBytes(18).toString("base64url");
}

/** Reserves a recording for an upload about to start (the tus creation request). */
export async function reserveUpload(
  db: DbTx,
  input: {
    ownerId: string;
    kind: RecordingKind;
    caseSessionId: string | null;
    consentId: string;
    declaredSize: number;
    store: "fs" | "db";
    deleteAfter: Date;
  },
): Promise<{ id: string; uploadId: string }> {
  const uploadId = newUploadId();
  const row = await db.recording.create({
    data: { ...input, declaredSize: BigInt(input.declaredSize), uploadId },
    select: { id: true },
  });
  return { id: row.id, uploadId };
}

const UPLOAD_FIELDS = {
  id: true,
  ownerId: true,
  status: true,
  declaredSize: true,
  receivedBytes: true,
  wrappedKey: true,
  keyId: true,
  createdAt: true,
  deleteAfter: true,
  rejectReason: true,
  consent: { select: { withdrawnAt: true } },
} as const;

export async function findUpload(db: DbTx, uploadId: string) {
  const row = await db.recording.findUnique({ where: { uploadId }, select: UPLOAD_FIELDS });
  if (!row) return null;
  const { consent, ...rest } = row;
  return {
    ...rest,
    declaredSize: Number(row.declaredSize),
    receivedBytes: Number(row.receivedBytes),
    consentWithdrawn: consent.withdrawnAt !== null,
  };
}

export type UploadRow = NonNullable<Awaited<ReturnType<typeof findUpload>>>;

/** Stores the upload's wrapped data key (once, when its blob is begun). */
export async function setUploadKey(db: DbTx, id: string, key: { wrappedKey: string; keyId: string }): Promise<void> {
  await db.recording.updateMany({ where: { id, status: "UPLOADING", wrappedKey: null }, data: key });
}

/** Moves the resume point forward (only ever forward, at a chunk boundary). */
export async function advanceUpload(db: DbTx, id: string, from: number, to: number): Promise<boolean> {
  const { count } = await db.recording.updateMany({
    where: { id, status: "UPLOADING", receivedBytes: BigInt(from) },
    data: { receivedBytes: BigInt(to) },
  });
  return count === 1;
}

export async function completeUpload(
  db: Db,
  input: {
    id: string;
    ownerId: string;
    mimeType: string;
    hasVideo: boolean;
    durationSeconds: number;
    sha256: string;
    size: number;
    deleteAfter: Date;
  },
): Promise<boolean> {
  return audited(db, async (tx) => {
    // Only an upload still in progress becomes READY: a withdrawal or purge that landed meanwhile wins.
    const { count } = await tx.recording.updateMany({
      where: { id: input.id, status: "UPLOADING" },
      data: {
        status: "READY",
        receivedBytes: BigInt(input.size),
        mimeType: input.mimeType,
        hasVideo: input.hasVideo,
        durationSeconds: input.durationSeconds,
        sha256: input.sha256,
        completedAt: new Date(),
        deleteAfter: input.deleteAfter,
      },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      type: "recording.uploaded",
      actorId: input.ownerId,
      subjectId: input.id,
      data: { size: input.size, sha256: input.sha256, mimeType: input.mimeType },
    });
    return true;
  });
}

/** The upload was refused (not audio/video, damaged) or cancelled: no bytes are kept, the row says why. */
export async function rejectUpload(db: DbTx, id: string, reason: string): Promise<void> {
  await db.recording.updateMany({
    where: { id, status: "UPLOADING" },
    data: { status: "REJECTED", rejectReason: reason, wrappedKey: null },
  });
}

/** A recording with what access to it depends on. Null when there is none. */
export async function getRecording(db: DbTx, id: string) {
  const row = await db.recording.findUnique({
    where: { id },
    select: {
      id: true,
      ownerId: true,
      kind: true,
      status: true,
      mimeType: true,
      hasVideo: true,
      durationSeconds: true,
      sha256: true,
      declaredSize: true,
      receivedBytes: true,
      wrappedKey: true,
      keyId: true,
      rejectReason: true,
      createdAt: true,
      completedAt: true,
      deleteAfter: true,
      legalHold: true,
      legalHoldReason: true,
      withdrawnAt: true,
      purgedAt: true,
      owner: { select: { name: true } },
      caseSession: { select: { id: true, number: true, case: { select: { id: true, clientCode: true, supervisorId: true } } } },
      ratingAssignments: { where: { withdrawnAt: null }, select: { id: true, raterId: true, purpose: true } },
    },
  });
  return row ? { ...row, declaredSize: Number(row.declaredSize), receivedBytes: Number(row.receivedBytes) } : null;
}

export type RecordingRow = NonNullable<Awaited<ReturnType<typeof getRecording>>>;

/**
 * How `user` stands towards a recording: its trainee ("owner"), the supervisor
 * of its case, a rater assigned to rate it (a summative assignment not
 * withdrawn), or a rater attempting it as calibration material.
 */
export function relationsToRecording(
  user: { id: string },
  r: {
    ownerId: string;
    caseSession: { case: { supervisorId: string } } | null;
    ratingAssignments: readonly { raterId: string; purpose: string }[];
  },
): Relation[] {
  const relations: Relation[] = [];
  if (r.ownerId === user.id) relations.push("owner");
  if (r.caseSession?.case.supervisorId === user.id) relations.push("case-supervisor");
  const mine = r.ratingAssignments.filter((a) => a.raterId === user.id);
  if (mine.some((a) => a.purpose === "SUMMATIVE")) relations.push("assigned-rater");
  if (mine.some((a) => a.purpose === "CALIBRATION")) relations.push("calibration-rater");
  return relations;
}

/** Recordings of the sessions of one case, newest first, for the case page. */
export async function recordingsOfCase(db: DbTx, caseId: string) {
  const rows = await db.recording.findMany({
    where: { caseSession: { caseId } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      status: true,
      mimeType: true,
      durationSeconds: true,
      rejectReason: true,
      createdAt: true,
      caseSession: { select: { id: true, number: true } },
    },
  });
  return rows;
}

/** A session of one of the trainee's own cases, for the upload page; null when it is not theirs. */
export async function sessionForUpload(db: DbTx, ownerId: string, caseSessionId: string) {
  const row = await db.caseSession.findFirst({
    where: { id: caseSessionId, case: { traineeId: ownerId } },
    select: { id: true, number: true, case: { select: { id: true, clientCode: true, planId: true } } },
  });
  return row ? { id: row.id, number: row.number, caseId: row.case.id, clientCode: row.case.clientCode, planId: row.case.planId } : null;
}

/** A trainee's role-play assessments: the current actor's consent (if any) and their role-play recordings. */
export async function rolePlayOf(db: DbTx, ownerId: string) {
  const [consents, recordings] = await Promise.all([
    db.consentAttestation.findMany({
      where: { attestedById: ownerId, caseId: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, consentOn: true, method: true, forSupervision: true, forAssessment: true, withdrawnAt: true },
    }),
    db.recording.findMany({
      where: { ownerId, kind: "ROLE_PLAY" },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, durationSeconds: true, rejectReason: true, createdAt: true },
    }),
  ]);
  return { consents, recordings };
}
