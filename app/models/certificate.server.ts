import { randomBytes } from "node:crypto";
import { getPathway } from "#app/content.server/pathways.server";
import { type Db, type DbTx, getDb, sqliteRead } from "#app/db.server";
import { CODE_RANDOM_BYTES, generateCertificateCode, normaliseCode } from "#app/domain/certificate-code";
import {
  type CertificateStatus,
  cpdSince,
  expiryFor,
  NOTICE_TYPES,
  type NoticeType,
  noticeText,
  type PublicStatus,
  publicStatus,
  type RenewalCheck,
  type RenewalRule,
  renewalCheck,
  STATUS_AFTER,
  type StatusChange,
  statusChangeProblem,
} from "#app/domain/certificate-rules";
import { cpdEntryHash, type EvidenceSnapshot, sealSnapshot } from "#app/domain/certificate-snapshot";
import type { Relation } from "#app/domain/permissions";
import { Prisma } from "#app/generated/prisma/client";
import { linkTo } from "#app/mail/mailer.server";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { cpdEntriesOf } from "#app/models/cpd.server";
import { evaluateTrainee, traineesReadyForCertification } from "#app/models/pathway-evidence.server";
import { allocateStatusIndexes, setStatus } from "#app/models/status-list.server";

/**
 * Certificates: issuing from a complete pathway evaluation, their life
 * (suspend, reinstate, revoke, expire, renew) and what verifiers and holders
 * see. Every change is one transaction with its CertificateEvent, its audit
 * event and its status-list bit; the signed credential never changes (the
 * bit does). See docs/certificates.md, ADR 0032 and 0033.
 */

// ---- Public view (read by the verify routes) ---------------------------------------------------------------------

/** The public view of a certificate: what anyone with its code may see. Nothing clinical. */
export type PublicCertificate = {
  code: string;
  status: PublicStatus;
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  /** The credential's name, e.g. "DIT Practitioner". */
  credential: string;
  /** The issuing body's name. */
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** Absolute: `${APP_URL}/verify/<code>`. */
  verifyUrl: string;
  revocationIndex: number;
  suspensionIndex: number;
  /** For the credential's subject id and register links; not for display. */
  holderId: string;
};

/** The public verification page of a code, absolute (from the app's base URL, never the request). */
export function verifyUrlFor(baseUrl: string, code: string): string {
  return linkTo(baseUrl, `/verify/${code}`);
}

/** What the public view reads of a certificate (also the verify routes' batch lookups, app/models/accreditor.server.ts). */
export const PUBLIC_SELECT = {
  code: true,
  status: true,
  holderId: true,
  holderName: true,
  registrationBody: true,
  registrationNumber: true,
  credentialName: true,
  issuerName: true,
  issuedAt: true,
  expiresAt: true,
  revocationIndex: true,
  suspensionIndex: true,
} as const;

type PublicRow = Prisma.CertificateGetPayload<{ select: typeof PUBLIC_SELECT }>;

export function toPublic(row: PublicRow, baseUrl: string, now: Date): PublicCertificate {
  return {
    code: row.code,
    status: publicStatus(row, now),
    holder: { name: row.holderName, registrationBody: row.registrationBody, registrationNumber: row.registrationNumber },
    credential: row.credentialName,
    issuer: row.issuerName,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    verifyUrl: verifyUrlFor(baseUrl, row.code),
    revocationIndex: row.revocationIndex,
    suspensionIndex: row.suspensionIndex,
    holderId: row.holderId,
  };
}

/**
 * The certificate a typed code names (any case, spaces, dashes or none), or
 * null when the input cannot be a code or no certificate has it.
 */
export async function getCertificateByCode(db: DbTx, code: string, baseUrl: string, now = new Date()): Promise<PublicCertificate | null> {
  const normalised = normaliseCode(code);
  if (!normalised) return null;
  // Every public lookup (page, API, credentials) runs this: on SQLite with the process-wide client, one prepared
  // statement on the read-only connection (sqliteRead, ADR 0024), as the session lookup does.
  const direct = db === getDb() ? sqliteRead<RawPublicRow>(PUBLIC_SQL, [normalised]) : undefined;
  if (direct) return direct[0] ? toPublic(fromRaw(direct[0]), baseUrl, now) : null;
  const row = await db.certificate.findUnique({ where: { code: normalised }, select: PUBLIC_SELECT });
  return row ? toPublic(row, baseUrl, now) : null;
}

/** PUBLIC_SELECT as plain SQLite SQL (enums as text, DateTime as SQLite stores it). */
const PUBLIC_SQL = `SELECT "code", CAST("status" AS TEXT) AS "status", "holderId", "holderName", "registrationBody",
    "registrationNumber", "credentialName", "issuerName", "issuedAt", "expiresAt", "revocationIndex", "suspensionIndex"
  FROM "Certificate" WHERE "code" = ?`;

type RawPublicRow = Omit<PublicRow, "issuedAt" | "expiresAt" | "status"> & {
  status: string;
  issuedAt: string | number;
  expiresAt: string | number | null;
};

function fromRaw(r: RawPublicRow): PublicRow {
  return {
    ...r,
    status: r.status as PublicRow["status"],
    issuedAt: new Date(r.issuedAt),
    expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt),
  };
}

// ---- Access ------------------------------------------------------------------------------------------------------

/** How `user` stands towards a certificate: its holder ("owner"). */
export function relationsToCertificate(user: { id: string }, cert: { holderId: string }): Relation[] {
  return cert.holderId === user.id ? ["owner"] : [];
}

// ---- Notices -----------------------------------------------------------------------------------------------------

/** What the holder is to be told of, for mail: no reason, nothing clinical, the code to link to. */
export type CertificateNotice = {
  type: NoticeType;
  code: string;
  credential: string;
  expiresAt: Date | null;
  /** Null when the person cannot be mailed (deactivated or anonymised). */
  to: { email: string; name: string } | null;
};

const HOLDER_CONTACT = { select: { email: true, name: true, status: true, anonymisedAt: true } } as const;

function noticeFor(
  type: NoticeType,
  cert: { code: string; credentialName: string; expiresAt: Date | null },
  holder: { email: string; name: string; status: string; anonymisedAt: Date | null },
): CertificateNotice {
  const reachable = holder.status === "ACTIVE" && holder.anonymisedAt === null;
  return {
    type,
    code: cert.code,
    credential: cert.credentialName,
    expiresAt: cert.expiresAt,
    to: reachable ? { email: holder.email, name: holder.name } : null,
  };
}

/** The holder's notices not yet dismissed, newest first, worded (noticeText). */
export async function unseenNotices(db: DbTx, holderId: string) {
  const events = await db.certificateEvent.findMany({
    where: { seenAt: null, type: { in: [...NOTICE_TYPES] }, certificate: { holderId } },
    orderBy: { at: "desc" },
    take: 20,
    select: { id: true, type: true, at: true, certificate: { select: { code: true, credentialName: true, expiresAt: true } } },
  });
  return events.map((e) => ({
    id: e.id,
    at: e.at.toISOString().slice(0, 10),
    code: e.certificate.code,
    text: noticeText(e.type as NoticeType, e.certificate.credentialName, e.certificate.expiresAt),
  }));
}

/** Dismisses one of the holder's own notices; false when it is not theirs (or already dismissed). */
export async function dismissNotice(db: DbTx, input: { eventId: string; holderId: string; now?: Date }): Promise<boolean> {
  const done = await db.certificateEvent.updateMany({
    where: { id: input.eventId, seenAt: null, certificate: { holderId: input.holderId } },
    data: { seenAt: input.now ?? new Date() },
  });
  return done.count === 1;
}

// ---- Issuing -----------------------------------------------------------------------------------------------------

/** Not revoked, and not past its expiry: what "holds a certificate" means for the queue. */
function currentWhere(now: Date): Prisma.CertificateWhereInput {
  return { status: { in: ["ACTIVE", "SUSPENDED"] }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * Trainees whose pathway evaluation is complete and who hold no current
 * certificate (active or suspended, not expired), with their latest revoked
 * or expired one if any, and whether their home registration is recorded.
 */
export async function certificationQueue(db: DbTx, now = new Date()) {
  const ready = await traineesReadyForCertification(now, { db });
  if (ready.length === 0) return [];
  const ids = ready.map((r) => r.userId);
  const [current, people, past] = await Promise.all([
    db.certificate.findMany({ where: { holderId: { in: ids }, ...currentWhere(now) }, select: { holderId: true } }),
    db.user.findMany({ where: { id: { in: ids } }, select: { id: true, registrationBody: true, registrationNumber: true } }),
    db.certificate.findMany({
      where: { holderId: { in: ids } },
      orderBy: { issuedAt: "desc" },
      select: { holderId: true, code: true, status: true, expiresAt: true },
    }),
  ]);
  const certified = new Set(current.map((c) => c.holderId));
  const registration = new Map(people.map((p) => [p.id, Boolean(p.registrationBody && p.registrationNumber)]));
  return ready
    .filter((r) => !certified.has(r.userId))
    .map((r) => {
      const previous = past.find((c) => c.holderId === r.userId) ?? null;
      return {
        userId: r.userId,
        name: r.name,
        evaluation: r.evaluation,
        hasRegistration: registration.get(r.userId) ?? false,
        previous: previous ? { code: previous.code, status: publicStatus(previous, now) } : null,
      };
    });
}

export type IssueError = "no-such-person" | "incomplete" | "no-registration" | "already-certified";
export type IssueOutcome = { ok: true; code: string; certificateId: string; notice: CertificateNotice } | { ok: false; error: IssueError };

type RandomSource = (size: number) => Uint8Array;

/** A code no certificate has yet (a collision among 6.6 × 10^11 codes is rare; the unique index has the last word). */
async function freshCode(tx: DbTx, random: RandomSource): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const code = generateCertificateCode(random(CODE_RANDOM_BYTES));
    if (!(await tx.certificate.findUnique({ where: { code }, select: { id: true } }))) return code;
  }
  throw new Error("could not find a free certificate code");
}

/**
 * Serialises certificate writes for one holder: the first statement of the
 * transaction updates the holder's row, which PostgreSQL locks until commit
 * (a second issuer waits here, then sees the first one's certificate); SQLite
 * has one writer anyway.
 */
async function lockHolder(tx: DbTx, holderId: string, now: Date): Promise<void> {
  await tx.user.update({ where: { id: holderId }, data: { updatedAt: now }, select: { id: true } });
}

type NewCertificate = {
  holderId: string;
  /** The holder as they are at issue: the certificate keeps this snapshot. */
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  pathwayId: string;
  pathwayVersion: number;
  credentialName: string;
  issuerName: string;
  snapshot: { json: string; hash: string };
  issuedById: string;
  issuedAt: Date;
  expiresAt: Date | null;
  onRegister?: boolean;
  renewedFromId?: string;
  /** On the ISSUED event (a renewal names the certificate it renews). */
  reason?: string;
};

/** The certificate row with a fresh code and status-list indexes, and its ISSUED event, inside the caller's transaction. */
async function recordCertificate(tx: DbTx, random: RandomSource, input: NewCertificate) {
  const { revocationIndex, suspensionIndex } = await allocateStatusIndexes(tx);
  const code = await freshCode(tx, random);
  const created = await tx.certificate.create({
    data: {
      code,
      holderId: input.holderId,
      holderName: input.holder.name,
      registrationBody: input.holder.registrationBody,
      registrationNumber: input.holder.registrationNumber,
      pathwayId: input.pathwayId,
      pathwayVersion: input.pathwayVersion,
      credentialName: input.credentialName,
      issuerName: input.issuerName,
      evidence: input.snapshot.json,
      evidenceHash: input.snapshot.hash,
      issuedById: input.issuedById,
      issuedAt: input.issuedAt,
      expiresAt: input.expiresAt,
      revocationIndex,
      suspensionIndex,
      onRegister: input.onRegister ?? false,
      renewedFromId: input.renewedFromId ?? null,
    },
    select: { id: true, code: true, credentialName: true, expiresAt: true, revocationIndex: true, suspensionIndex: true },
  });
  await tx.certificateEvent.create({
    data: { certificateId: created.id, type: "ISSUED", reason: input.reason ?? null, actorId: input.issuedById, at: input.issuedAt },
  });
  return created;
}

/**
 * Issues the trainee's certificate. The pathway is evaluated again here, on
 * the server, at the moment of issue: an incomplete evaluation is refused
 * whatever the queue showed. One transaction writes the certificate with its
 * holder snapshot (name, home registration), pathway id and version, evidence
 * snapshot and hash, status-list indexes, the ISSUED event and the audit event.
 */
export async function issueCertificate(
  db: Db,
  input: { traineeId: string; by: string; now?: Date; random?: RandomSource },
): Promise<IssueOutcome> {
  const now = input.now ?? new Date();
  const random = input.random ?? randomBytes;
  const person = await db.user.findUnique({
    where: { id: input.traineeId },
    select: { id: true, name: true, status: true, anonymisedAt: true, registrationBody: true, registrationNumber: true },
  });
  if (person?.status !== "ACTIVE" || person.anonymisedAt) return { ok: false, error: "no-such-person" };
  if (!person.registrationBody || !person.registrationNumber) return { ok: false, error: "no-registration" };
  const { pathway, evaluation } = await evaluateTrainee(input.traineeId, now, { db });
  if (!evaluation.complete) return { ok: false, error: "incomplete" };
  const snapshot = sealSnapshot({
    kind: "pathway",
    pathway: { id: evaluation.pathwayId, version: evaluation.pathwayVersion },
    evaluatedAt: now,
    steps: evaluation.steps.map((s) => ({
      id: s.id,
      evidence: s.evidence.map((e) => ({ kind: e.kind, id: e.id, ...(e.hash ? { hash: e.hash } : {}) })),
    })),
  });
  const { certificate } = pathway;
  return audited(db, async (tx): Promise<IssueOutcome> => {
    await lockHolder(tx, person.id, now);
    const holder = await tx.user.findUniqueOrThrow({
      where: { id: person.id },
      select: { registrationBody: true, registrationNumber: true, ...HOLDER_CONTACT.select },
    });
    if (await tx.certificate.findFirst({ where: { holderId: person.id, ...currentWhere(now) }, select: { id: true } })) {
      return { ok: false, error: "already-certified" };
    }
    const created = await recordCertificate(tx, random, {
      holderId: person.id,
      holder,
      pathwayId: evaluation.pathwayId,
      pathwayVersion: evaluation.pathwayVersion,
      credentialName: certificate.credentialName,
      issuerName: certificate.issuerName,
      snapshot,
      issuedById: input.by,
      issuedAt: now,
      expiresAt: expiryFor(now, certificate.validityMonths),
    });
    const { code, revocationIndex, suspensionIndex } = created;
    await appendAuditEvent(tx, {
      type: "certificate.issued",
      actorId: input.by,
      subjectId: person.id,
      data: {
        certificateId: created.id,
        code,
        pathway: `${evaluation.pathwayId}@${evaluation.pathwayVersion}`,
        evidenceHash: snapshot.hash,
        revocationIndex,
        suspensionIndex,
      },
    });
    return { ok: true, code, certificateId: created.id, notice: noticeFor("ISSUED", created, holder) };
  });
}

// ---- Status changes ----------------------------------------------------------------------------------------------

export type ChangeOutcome = { ok: true; notice: CertificateNotice } | { ok: false; error: "not-found" | "changed" | string };

const EVENT_OF: Record<StatusChange, "SUSPENDED" | "REINSTATED" | "REVOKED"> = {
  suspend: "SUSPENDED",
  reinstate: "REINSTATED",
  revoke: "REVOKED",
};

/**
 * Suspends (reversible), reinstates or revokes (final) a certificate, with the
 * admin's reason: status, event, audit event and the status-list bits in one
 * transaction. A suspension sets the suspension bit and a reinstatement clears
 * it; a revocation sets the revocation bit (and clears a suspension, so the
 * lists say one thing).
 */
export async function changeCertificateStatus(
  db: Db,
  input: { code: string; change: StatusChange; reason: string | null; by: string; now?: Date },
): Promise<ChangeOutcome> {
  const now = input.now ?? new Date();
  return audited(db, async (tx): Promise<ChangeOutcome> => {
    const cert = await tx.certificate.findUnique({
      where: { code: input.code },
      select: {
        id: true,
        code: true,
        status: true,
        expiresAt: true,
        credentialName: true,
        holderId: true,
        revocationIndex: true,
        suspensionIndex: true,
        holder: HOLDER_CONTACT,
      },
    });
    if (!cert) return { ok: false, error: "not-found" };
    const problem = statusChangeProblem(input.change, cert, now);
    if (problem) return { ok: false, error: problem };
    const to = STATUS_AFTER[input.change];
    const updated = await tx.certificate.updateMany({
      where: { id: cert.id, status: cert.status },
      data: { status: to, statusReason: input.change === "reinstate" ? null : input.reason, statusChangedAt: now },
    });
    if (updated.count !== 1) return { ok: false, error: "changed" };
    if (input.change === "suspend") await setStatus("suspension", cert.suspensionIndex, true, tx);
    if (input.change === "reinstate") await setStatus("suspension", cert.suspensionIndex, false, tx);
    if (input.change === "revoke") {
      await setStatus("revocation", cert.revocationIndex, true, tx);
      if (cert.status === "SUSPENDED") await setStatus("suspension", cert.suspensionIndex, false, tx);
    }
    const type = EVENT_OF[input.change];
    await tx.certificateEvent.create({ data: { certificateId: cert.id, type, reason: input.reason, actorId: input.by, at: now } });
    await appendAuditEvent(tx, {
      type: `certificate.${type.toLowerCase()}`,
      actorId: input.by,
      subjectId: cert.holderId,
      data: { certificateId: cert.id, code: cert.code, from: cert.status, to, reason: input.reason },
    });
    return { ok: true, notice: noticeFor(type, cert, cert.holder) };
  });
}

// ---- Renewal -----------------------------------------------------------------------------------------------------

/** The renewal rule of a certificate's pathway version, or null when it is open-ended (or its pathway file is gone). */
function renewalRuleOf(cert: { pathwayId: string; pathwayVersion: number }): RenewalRule | null {
  const pathway = getPathway(cert.pathwayId, cert.pathwayVersion);
  if (!pathway || pathway.certificate.validityMonths === null) return null;
  return { ...pathway.certificate.renewal, validityMonths: pathway.certificate.validityMonths };
}

/** Where a certificate stands for renewal now: CPD hours since its issue against its pathway's rule. */
export async function renewalStatus(db: DbTx, code: string, now = new Date()): Promise<RenewalCheck | null> {
  const cert = await db.certificate.findUnique({
    where: { code },
    select: {
      holderId: true,
      pathwayId: true,
      pathwayVersion: true,
      status: true,
      issuedAt: true,
      expiresAt: true,
      renewedBy: { select: { id: true } },
    },
  });
  if (!cert) return null;
  const entries = await cpdEntriesOf(db, cert.holderId);
  return renewalCheck({ rule: renewalRuleOf(cert), cert: { ...cert, renewed: cert.renewedBy !== null }, entries, now });
}

export type RenewOutcome = { ok: true; code: string; notice: CertificateNotice } | { ok: false; error: string };

/**
 * Renews a certificate whose holder has logged the CPD hours its pathway's
 * renewal rule asks for since its issue. A renewal is a new certificate (new
 * code, dates, status indexes and credential; renewedFrom the old one), with
 * the holder's current name and registration and an evidence snapshot of the
 * old certificate and the CPD counted. The old one keeps its own dates (it
 * simply expires), gets a RENEWED event, and hands its place on the public
 * register to the new one.
 */
export async function renewCertificate(
  db: Db,
  input: { code: string; by: string; now?: Date; random?: RandomSource },
): Promise<RenewOutcome> {
  const now = input.now ?? new Date();
  const random = input.random ?? randomBytes;
  const old = await db.certificate.findUnique({
    where: { code: input.code },
    select: {
      id: true,
      code: true,
      holderId: true,
      pathwayId: true,
      pathwayVersion: true,
      credentialName: true,
      issuerName: true,
      evidenceHash: true,
      status: true,
      issuedAt: true,
      expiresAt: true,
      onRegister: true,
      renewedBy: { select: { id: true } },
    },
  });
  if (!old) return { ok: false, error: "not-found" };
  const entries = await cpdEntriesOf(db, old.holderId);
  const check = renewalCheck({ rule: renewalRuleOf(old), cert: { ...old, renewed: old.renewedBy !== null }, entries, now });
  if (check.problem || !check.newExpiry) return { ok: false, error: check.problem ?? "not renewable" };
  const newExpiry = check.newExpiry;
  const snapshot = sealSnapshot({
    kind: "renewal",
    pathway: { id: old.pathwayId, version: old.pathwayVersion },
    renewalOf: { code: old.code, evidenceHash: old.evidenceHash },
    cpd: cpdSince(entries, check.countedSince)
      .filter((e) => e.date.getTime() <= now.getTime())
      .map((e) => ({ id: e.id, date: e.date, hours: e.hours, kind: e.kind, hash: cpdEntryHash(e) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  } satisfies EvidenceSnapshot);
  try {
    return await audited(db, async (tx): Promise<RenewOutcome> => {
      await lockHolder(tx, old.holderId, now);
      const current = await tx.certificate.findUniqueOrThrow({ where: { id: old.id }, select: { status: true } });
      if (current.status !== old.status) return { ok: false, error: "changed" };
      const holder = await tx.user.findUniqueOrThrow({
        where: { id: old.holderId },
        select: { registrationBody: true, registrationNumber: true, ...HOLDER_CONTACT.select },
      });
      const created = await recordCertificate(tx, random, {
        holderId: old.holderId,
        holder,
        pathwayId: old.pathwayId,
        pathwayVersion: old.pathwayVersion,
        credentialName: old.credentialName,
        issuerName: old.issuerName,
        snapshot,
        issuedById: input.by,
        issuedAt: now,
        expiresAt: newExpiry,
        onRegister: old.onRegister,
        renewedFromId: old.id,
        reason: `Renewal of ${old.code}`,
      });
      const { code, revocationIndex, suspensionIndex } = created;
      if (old.onRegister) await tx.certificate.update({ where: { id: old.id }, data: { onRegister: false } });
      await tx.certificateEvent.create({
        data: { certificateId: old.id, type: "RENEWED", reason: `Renewed as ${code}`, actorId: input.by, at: now },
      });
      await appendAuditEvent(tx, {
        type: "certificate.renewed",
        actorId: input.by,
        subjectId: old.holderId,
        data: {
          from: old.code,
          certificateId: created.id,
          code,
          cpdHours: check.hoursLogged,
          evidenceHash: snapshot.hash,
          revocationIndex,
          suspensionIndex,
        },
      });
      return { ok: true, code, notice: noticeFor("RENEWED", created, holder) };
    });
  } catch (error) {
    // Two renewals of one certificate at once: renewedFromId is unique, so the second fails here.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, error: "This certificate has already been renewed." };
    }
    throw error;
  }
}

// ---- The register opt-in -----------------------------------------------------------------------------------------

/** The holder puts their certificate on the public register or takes it off; false when it is not theirs. */
export async function setOnRegister(db: Db, input: { code: string; holderId: string; on: boolean }): Promise<boolean> {
  return audited(db, async (tx) => {
    const done = await tx.certificate.updateMany({ where: { code: input.code, holderId: input.holderId }, data: { onRegister: input.on } });
    if (done.count !== 1) return false;
    await appendAuditEvent(tx, {
      type: input.on ? "certificate.register-joined" : "certificate.register-left",
      actorId: input.holderId,
      subjectId: input.holderId,
      data: { code: input.code },
    });
    return true;
  });
}

// ---- The daily job -----------------------------------------------------------------------------------------------

const DAY = 24 * 60 * 60 * 1000;

/**
 * Records every expiry that has passed and is not recorded yet: sets expiredAt
 * (once: a conditional update, so two instances running the job at once record
 * it once) with an EXPIRED event and an audit event. Nothing changes for
 * verifiers: expiry already follows from the date. Returns how many.
 */
export async function recordDueExpiries(db: Db, now: Date): Promise<number> {
  const due = await db.certificate.findMany({
    where: { status: { not: "REVOKED" }, expiredAt: null, expiresAt: { lte: now } },
    select: { id: true, code: true, holderId: true, expiresAt: true },
    take: 500,
  });
  let recorded = 0;
  for (const cert of due) {
    const done = await audited(db, async (tx) => {
      const claimed = await tx.certificate.updateMany({ where: { id: cert.id, expiredAt: null }, data: { expiredAt: now } });
      if (claimed.count !== 1) return false;
      await tx.certificateEvent.create({ data: { certificateId: cert.id, type: "EXPIRED", at: now } });
      await appendAuditEvent(tx, {
        type: "certificate.expired",
        subjectId: cert.holderId,
        data: { certificateId: cert.id, code: cert.code, expiresAt: cert.expiresAt?.toISOString() },
      });
      return true;
    });
    if (done) recorded++;
  }
  return recorded;
}

/**
 * The 60-day expiry notices that are due, each recorded once (expiryNoticeAt,
 * by a conditional update) with an EXPIRY_NOTICE event; returns what to mail.
 */
export async function recordDueExpiryNotices(db: Db, now: Date, noticeDays = 60): Promise<CertificateNotice[]> {
  const due = await db.certificate.findMany({
    where: {
      status: "ACTIVE",
      expiryNoticeAt: null,
      renewedBy: { is: null },
      expiresAt: { gt: now, lte: new Date(now.getTime() + noticeDays * DAY) },
    },
    select: { id: true, code: true, holderId: true, credentialName: true, expiresAt: true, holder: HOLDER_CONTACT },
    take: 500,
  });
  const notices: CertificateNotice[] = [];
  for (const cert of due) {
    const done = await audited(db, async (tx) => {
      const claimed = await tx.certificate.updateMany({ where: { id: cert.id, expiryNoticeAt: null }, data: { expiryNoticeAt: now } });
      if (claimed.count !== 1) return false;
      await tx.certificateEvent.create({ data: { certificateId: cert.id, type: "EXPIRY_NOTICE", at: now } });
      await appendAuditEvent(tx, {
        type: "certificate.expiry-notice",
        subjectId: cert.holderId,
        data: { certificateId: cert.id, code: cert.code, expiresAt: cert.expiresAt?.toISOString() },
      });
      return true;
    });
    if (done) notices.push(noticeFor("EXPIRY_NOTICE", cert, cert.holder));
  }
  return notices;
}

// ---- Reading -----------------------------------------------------------------------------------------------------

/** A certificate with its history, for its holder's page and the admin's; null when no certificate has the code. */
export async function getCertificateDetail(db: DbTx, code: string) {
  const normalised = normaliseCode(code);
  if (!normalised) return null;
  return db.certificate.findUnique({
    where: { code: normalised },
    select: {
      id: true,
      code: true,
      holderId: true,
      holderName: true,
      registrationBody: true,
      registrationNumber: true,
      pathwayId: true,
      pathwayVersion: true,
      credentialName: true,
      issuerName: true,
      evidence: true,
      evidenceHash: true,
      issuedAt: true,
      expiresAt: true,
      status: true,
      statusReason: true,
      statusChangedAt: true,
      revocationIndex: true,
      suspensionIndex: true,
      onRegister: true,
      issuedBy: { select: { name: true } },
      renewedFrom: { select: { code: true } },
      renewedBy: { select: { code: true } },
      events: {
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { id: true, type: true, reason: true, at: true, actor: { select: { name: true } } },
      },
    },
  });
}

export type CertificateDetail = NonNullable<Awaited<ReturnType<typeof getCertificateDetail>>>;

/** The holder's own certificates, newest first. */
export async function certificatesOfHolder(db: DbTx, holderId: string) {
  return db.certificate.findMany({
    where: { holderId },
    orderBy: { issuedAt: "desc" },
    select: { code: true, credentialName: true, status: true, issuedAt: true, expiresAt: true, onRegister: true },
  });
}

/** Which rows a public status names, at `now` (expiry follows from the date). */
function publicStatusWhere(status: PublicStatus, now: Date): Prisma.CertificateWhereInput {
  const unexpired = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  switch (status) {
    case "valid":
      return { status: "ACTIVE", ...unexpired };
    case "suspended":
      return { status: "SUSPENDED", ...unexpired };
    case "revoked":
      return { status: "REVOKED" };
    case "expired":
      return { status: { not: "REVOKED" }, expiresAt: { lte: now } };
  }
}

export const ADMIN_PAGE_SIZE = 50;

/** Every certificate (optionally of one public status), newest first, a page at a time. */
export async function listCertificates(db: DbTx, input: { status: PublicStatus | null; page: number; now?: Date }) {
  const now = input.now ?? new Date();
  const where = input.status ? publicStatusWhere(input.status, now) : {};
  const [total, rows] = await Promise.all([
    db.certificate.count({ where }),
    db.certificate.findMany({
      where,
      orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
      skip: (input.page - 1) * ADMIN_PAGE_SIZE,
      take: ADMIN_PAGE_SIZE,
      select: { code: true, holderName: true, credentialName: true, status: true, issuedAt: true, expiresAt: true },
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, publicStatus: publicStatus(r, now) })) };
}

export type { CertificateStatus };
