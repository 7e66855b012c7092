import type { Db, DbTx } from "#app/db.server";
import { nameKey, preferCertificate, registrationBodyKey, registrationNumberKey } from "#app/domain/bulk-verify";
import type { PublicStatus } from "#app/domain/certificate-rules";
import { PUBLIC_STATUSES } from "#app/domain/verification";
import { Prisma } from "#app/generated/prisma/client";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { PUBLIC_SELECT, type PublicCertificate, toPublic } from "#app/models/certificate.server";
import { containsIgnoringCase, queryWords } from "#app/models/register.server";

/**
 * Accrediting bodies (docs/verification.md, ADR 0034). An ACCREDITOR account acts for one registration body
 * (User.accreditingBody, set by an administrator); its dashboard lists the certificates whose home registration
 * body is that one, and its bulk verification looks certificates up by code, or by name and registration number.
 */

/** Sets (or clears, with null) the body an accreditor acts for; stored upper-cased. Audited. */
export async function setAccreditingBody(
  db: Db,
  { userId, body, by }: { userId: string; body: string | null; by: string },
): Promise<boolean> {
  const value = body === null ? null : registrationBodyKey(body) || null;
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) return false;
    await tx.user.update({ where: { id: userId }, data: { accreditingBody: value } });
    await appendAuditEvent(tx, { type: "user.accrediting_body_changed", actorId: by, subjectId: userId, data: { accreditingBody: value } });
    return true;
  });
}

export async function accreditingBodyOf(db: DbTx, userId: string): Promise<string | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { accreditingBody: true } });
  return row?.accreditingBody ?? null;
}

/**
 * The spellings of a registration body as certificates record it ("BACP", "bacp", " Bacp "): the body's name is
 * free text in each person's details, copied onto the certificate at issue, so it is matched ignoring case and
 * surrounding spaces. Upper-casing in SQL is ASCII-only on SQLite, which body names (HCPC, BACP, UKCP…) are.
 */
async function bodySpellings(db: DbTx, body: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ registrationBody: string }[]>`
    SELECT DISTINCT "registrationBody" FROM "Certificate" WHERE UPPER(TRIM("registrationBody")) = ${registrationBodyKey(body)}`;
  return rows.map((r) => r.registrationBody);
}

/** Whether a certificate's home registration body is this accreditor's body: the "accrediting-body" relation. */
export function isAccreditedBy(certificate: { holder: { registrationBody: string | null } }, body: string | null): boolean {
  return (
    body !== null &&
    certificate.holder.registrationBody !== null &&
    registrationBodyKey(certificate.holder.registrationBody) === registrationBodyKey(body)
  );
}

export const DASHBOARD_PAGE_SIZE = 50;

/** Certificates whose public status is `status` now (the database form of publicStatus). */
function statusWhere(status: PublicStatus, now: Date): Prisma.CertificateWhereInput {
  const current = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  switch (status) {
    case "valid":
      return { status: "ACTIVE", ...current };
    case "suspended":
      return { status: "SUSPENDED", ...current };
    case "revoked":
      return { status: "REVOKED" };
    case "expired":
      return { status: { not: "REVOKED" }, expiresAt: { lte: now } };
  }
}

export type AccreditedPage = {
  body: string;
  counts: Record<PublicStatus, number>;
  total: number;
  page: number;
  pages: number;
  results: PublicCertificate[];
};

/** One page of the certificates registered with `body`, optionally of one status and matching a name or number. */
export async function accreditedCertificates(
  db: DbTx,
  { body, status, q, page }: { body: string; status: PublicStatus | null; q: string; page: number },
  baseUrl: string,
  now = new Date(),
): Promise<AccreditedPage> {
  const spellings = await bodySpellings(db, body);
  const ofBody: Prisma.CertificateWhereInput = { registrationBody: { in: spellings } };
  const search: Prisma.CertificateWhereInput = {
    AND: queryWords(q).map((w) => ({ OR: [{ holderName: containsIgnoringCase(w) }, { registrationNumber: containsIgnoringCase(w) }] })),
  };
  const where: Prisma.CertificateWhereInput = { AND: [ofBody, search, ...(status ? [statusWhere(status, now)] : [])] };
  const [rows, total, ...counts] = await Promise.all([
    db.certificate.findMany({
      where,
      select: PUBLIC_SELECT,
      orderBy: [{ holderName: "asc" }, { issuedAt: "desc" }, { code: "asc" }],
      skip: (page - 1) * DASHBOARD_PAGE_SIZE,
      take: DASHBOARD_PAGE_SIZE,
    }),
    db.certificate.count({ where }),
    ...PUBLIC_STATUSES.map((s) => db.certificate.count({ where: { AND: [ofBody, statusWhere(s, now)] } })),
  ]);
  return {
    body: registrationBodyKey(body),
    counts: Object.fromEntries(PUBLIC_STATUSES.map((s, i) => [s, counts[i] ?? 0])) as Record<PublicStatus, number>,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE)),
    results: rows.map((r) => toPublic(r, baseUrl, now)),
  };
}

/** The certificates with these (canonical) codes, in one query. */
export async function certificatesByCode(
  db: DbTx,
  codes: readonly string[],
  baseUrl: string,
  now = new Date(),
): Promise<Map<string, PublicCertificate>> {
  if (codes.length === 0) return new Map();
  const rows = await db.certificate.findMany({ where: { code: { in: [...new Set(codes)] } }, select: PUBLIC_SELECT });
  return new Map(rows.map((r) => [r.code, toPublic(r, baseUrl, now)]));
}

/** The key a name + registration number lookup is answered under. */
export const personKey = (name: string, registrationNumber: string) => `${nameKey(name)}\u0000${registrationNumberKey(registrationNumber)}`;

/**
 * Certificates by holder name and registration number, for an accreditor: only those on the public register (opted
 * in, not revoked), or whose home registration body is the accreditor's own — a body may look up its own
 * registrants, and anyone on the register. Never an anonymised person's. Two queries for the whole batch (the
 * numbers, then the rows); names are compared here (nameKey). Several matches: preferCertificate's choice.
 */
export async function certificatesByPerson(
  db: DbTx,
  people: readonly { name: string; registrationNumber: string }[],
  accreditorBody: string | null,
  baseUrl: string,
  now = new Date(),
): Promise<Map<string, PublicCertificate>> {
  const numbers = [...new Set(people.map((p) => registrationNumberKey(p.registrationNumber)).filter(Boolean))];
  if (numbers.length === 0) return new Map();
  const candidates = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Certificate"
    WHERE UPPER(REPLACE(REPLACE("registrationNumber", ' ', ''), '-', '')) IN (${Prisma.join(numbers)})`;
  if (candidates.length === 0) return new Map();
  const rows = await db.certificate.findMany({
    where: { id: { in: candidates.map((c) => c.id) }, holder: { anonymisedAt: null } },
    select: { ...PUBLIC_SELECT, onRegister: true },
  });
  const wanted = new Set(people.map((p) => personKey(p.name, p.registrationNumber)));
  const out = new Map<string, PublicCertificate>();
  for (const row of rows) {
    const cert = toPublic(row, baseUrl, now);
    // "On the register" as the register means it (searchRegister): opted in and not revoked.
    const listed = row.onRegister && row.status !== "REVOKED";
    if (!listed && !isAccreditedBy(cert, accreditorBody)) continue;
    const key = personKey(row.holderName, row.registrationNumber ?? "");
    if (!wanted.has(key)) continue;
    const held = out.get(key);
    out.set(key, held ? preferCertificate(held, cert) : cert);
  }
  return out;
}
