import { hashPassword, verifyPassword } from "#app/crypto/password.server";
import { hashToken, randomToken } from "#app/crypto/tokens.server";
import type { Db, DbTx } from "#app/db.server";
import { normalRegistrationNumber } from "#app/domain/bulk-verify";
import { normalizeRoles, type Role } from "#app/domain/roles";
import type { TokenPurpose, UserStatus } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  roles: Role[];
  createdAt: Date;
};

const summarySelect = {
  id: true,
  email: true,
  name: true,
  status: true,
  createdAt: true,
  roles: { select: { role: true }, orderBy: { role: "asc" } },
} as const;

function toSummary(row: {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  createdAt: Date;
  roles: { role: Role }[];
}): UserSummary {
  return { ...row, roles: normalizeRoles(row.roles.map((r) => r.role)) };
}

export function searchKeyFor(name: string, email: string): string {
  return `${name} ${email}`.toLowerCase();
}

export async function findUserForLogin(db: DbTx, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, status: true, passwordHash: true } });
}

export async function getUserSummary(db: DbTx, id: string): Promise<UserSummary | null> {
  const row = await db.user.findUnique({ where: { id }, select: summarySelect });
  return row ? toSummary(row) : null;
}

export async function getUserDetail(db: DbTx, id: string) {
  const row = await db.user.findUnique({
    where: { id },
    select: {
      ...summarySelect,
      registrationBody: true,
      registrationNumber: true,
      memberships: { select: { role: true, cohort: { select: { id: true, name: true } } } },
      _count: { select: { sessions: true } },
    },
  });
  if (!row) return null;
  const { memberships, _count, registrationBody, registrationNumber, ...rest } = row;
  return { ...toSummary(rest), registrationBody, registrationNumber, memberships, activeSessions: _count.sessions };
}

export type UserFilter = { q?: string; role?: Role; status?: UserStatus; page?: number };
export const USERS_PAGE_SIZE = 25;

export async function listUsers(db: DbTx, filter: UserFilter) {
  const page = Math.max(1, filter.page ?? 1);
  const where = {
    ...(filter.q ? { searchKey: { contains: filter.q.trim().toLowerCase() } } : {}),
    ...(filter.role ? { roles: { some: { role: filter.role } } } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where,
      select: summarySelect,
      orderBy: [{ name: "asc" }, { email: "asc" }],
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
    }),
    db.user.count({ where }),
  ]);
  return { users: rows.map(toSummary), total, page, pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)) };
}

/** Active users holding a role, for pickers (e.g. supervisors). */
export async function listActiveUsersWithRole(db: DbTx, role: Role) {
  return db.user.findMany({
    where: { status: { not: "DEACTIVATED" }, roles: { some: { role } } },
    select: { id: true, name: true, email: true },
    orderBy: { name: "asc" },
  });
}

async function issueToken(
  tx: DbTx,
  { userId, purpose, by, ttlHours, now }: { userId: string; purpose: TokenPurpose; by: string | null; ttlHours: number; now: Date },
): Promise<string> {
  // A new link replaces any earlier unused one of the same kind.
  await tx.accountToken.deleteMany({ where: { userId, purpose, usedAt: null } });
  const token = randomToken();
  await tx.accountToken.create({
    data: {
      tokenHash: hashToken(token),
      purpose,
      userId,
      createdById: by,
      expiresAt: new Date(now.getTime() + ttlHours * 3_600_000),
    },
  });
  return token;
}

export type InviteInput = { email: string; name: string; roles: Role[]; by: string; ttlHours: number };

export async function inviteUser(
  db: Db,
  input: InviteInput,
  now = new Date(),
): Promise<{ ok: true; userId: string; token: string } | { ok: false; error: "email-taken" }> {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return { ok: false, error: "email-taken" };
  return audited(db, async (tx) => {
    const roles = normalizeRoles(input.roles);
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        searchKey: searchKeyFor(input.name, input.email),
        status: "INVITED",
        roles: { create: roles.map((role) => ({ role })) },
      },
      select: { id: true },
    });
    const token = await issueToken(tx, { userId: user.id, purpose: "INVITATION", by: input.by, ttlHours: input.ttlHours, now });
    await appendAuditEvent(tx, { type: "user.invited", actorId: input.by, subjectId: user.id, data: { roles } });
    return { ok: true as const, userId: user.id, token };
  });
}

/** A fresh invitation link for someone who has not accepted yet. */
export async function reissueInvitation(
  db: Db,
  { userId, by, ttlHours }: { userId: string; by: string; ttlHours: number },
  now = new Date(),
): Promise<string | null> {
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { status: true } });
    if (user?.status !== "INVITED") return null;
    const token = await issueToken(tx, { userId, purpose: "INVITATION", by, ttlHours, now });
    await appendAuditEvent(tx, { type: "user.invitation_reissued", actorId: by, subjectId: userId });
    return token;
  });
}

/** A password-reset link for an active account (issued by an admin, or requested by the person). */
export async function createPasswordReset(
  db: Db,
  { userId, by, ttlHours }: { userId: string; by: string | null; ttlHours: number },
  now = new Date(),
): Promise<string | null> {
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { status: true } });
    if (user?.status !== "ACTIVE") return null;
    const token = await issueToken(tx, { userId, purpose: "PASSWORD_RESET", by, ttlHours, now });
    await appendAuditEvent(tx, { type: "auth.password_reset_issued", actorId: by, subjectId: userId });
    return token;
  });
}

const TOKEN_OK_STATUS: Record<TokenPurpose, UserStatus> = { INVITATION: "INVITED", PASSWORD_RESET: "ACTIVE" };

/** The person a still-valid link belongs to, or null (unknown, used, expired, or account changed). */
export async function findTokenHolder(db: DbTx, token: string, purpose: TokenPurpose, now = new Date()) {
  const row = await db.accountToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      purpose: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, name: true, status: true } },
    },
  });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= now) return null;
  if (row.user.status !== TOKEN_OK_STATUS[purpose]) return null;
  return row.user;
}

/**
 * Sets a password through a one-time link (invitation or reset). The link is
 * used up, every existing session of the account ends, and the event is
 * audited — all in one transaction.
 */
export async function setPasswordWithToken(
  db: Db,
  { token, purpose, password }: { token: string; purpose: TokenPurpose; password: string },
  now = new Date(),
): Promise<{ ok: true; userId: string } | { ok: false }> {
  const passwordHash = await hashPassword(password);
  return audited(db, async (tx) => {
    const holder = await findTokenHolder(tx, token, purpose, now);
    if (!holder) return { ok: false as const };
    // Claim the token first: a concurrent second use finds usedAt set and gets count 0.
    const claimed = await tx.accountToken.updateMany({
      where: { tokenHash: hashToken(token), usedAt: null },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return { ok: false as const };
    await tx.user.update({ where: { id: holder.id }, data: { passwordHash, status: "ACTIVE" } });
    await tx.session.deleteMany({ where: { userId: holder.id } });
    // Any other unused link of the account ends with the new password.
    await tx.accountToken.deleteMany({ where: { userId: holder.id, usedAt: null } });
    await appendAuditEvent(tx, {
      type: purpose === "INVITATION" ? "user.invitation_accepted" : "auth.password_reset",
      actorId: holder.id,
      subjectId: holder.id,
    });
    return { ok: true as const, userId: holder.id };
  });
}

export async function changePassword(
  db: Db,
  { userId, current, next }: { userId: string; current: string; next: string },
): Promise<{ ok: true } | { ok: false; error: "wrong-password" }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
    return { ok: false, error: "wrong-password" };
  }
  const passwordHash = await hashPassword(next);
  await audited(db, async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId } });
    // A reset link asked for earlier must not outlive the password it was meant to replace.
    await tx.accountToken.deleteMany({ where: { userId, usedAt: null } });
    await appendAuditEvent(tx, { type: "auth.password_changed", actorId: userId, subjectId: userId });
  });
  return { ok: true };
}

async function countOtherActiveAdmins(tx: DbTx, userId: string): Promise<number> {
  return tx.user.count({ where: { id: { not: userId }, status: "ACTIVE", roles: { some: { role: "ADMIN" } } } });
}

export type AdminChangeError = "not-found" | "last-admin" | "self" | "anonymised";

export async function setUserRoles(
  db: Db,
  { userId, roles, by }: { userId: string; roles: Role[]; by: string },
): Promise<{ ok: true } | { ok: false; error: AdminChangeError }> {
  const next = normalizeRoles(roles);
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { roles: { select: { role: true } } } });
    if (!user) return { ok: false as const, error: "not-found" as const };
    const before = normalizeRoles(user.roles.map((r) => r.role));
    if (before.includes("ADMIN") && !next.includes("ADMIN")) {
      if (userId === by) return { ok: false as const, error: "self" as const };
      if ((await countOtherActiveAdmins(tx, userId)) === 0) return { ok: false as const, error: "last-admin" as const };
    }
    if (before.join() === next.join()) return { ok: true as const };
    await tx.userRole.deleteMany({ where: { userId, role: { notIn: next } } });
    for (const role of next.filter((r) => !before.includes(r))) {
      await tx.userRole.create({ data: { userId, role } });
    }
    await appendAuditEvent(tx, { type: "user.roles_changed", actorId: by, subjectId: userId, data: { from: before, to: next } });
    return { ok: true as const };
  });
}

export async function updateUserDetails(
  db: Db,
  {
    userId,
    by,
    name,
    registrationBody,
    registrationNumber,
  }: { userId: string; by: string; name: string; registrationBody: string | null; registrationNumber: string | null },
): Promise<boolean> {
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) return false;
    await tx.user.update({
      where: { id: userId },
      data: {
        name,
        registrationBody,
        registrationNumber: registrationNumber === null ? null : normalRegistrationNumber(registrationNumber) || null,
        searchKey: searchKeyFor(name, user.email),
      },
    });
    await appendAuditEvent(tx, { type: "user.details_changed", actorId: by, subjectId: userId });
    return true;
  });
}

/** Deactivation ends every session at once; reactivation restores the status the account had earned. */
export async function setUserActive(
  db: Db,
  { userId, active, by }: { userId: string; active: boolean; by: string },
): Promise<{ ok: true } | { ok: false; error: AdminChangeError }> {
  if (userId === by && !active) return { ok: false, error: "self" };
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { status: true, passwordHash: true, anonymisedAt: true, roles: { select: { role: true } } },
    });
    if (!user) return { ok: false as const, error: "not-found" as const };
    // An anonymised person stays deactivated: there is nobody left to reactivate (ADR 0013).
    if (user.anonymisedAt && active) return { ok: false as const, error: "anonymised" as const };
    if (!active) {
      if (user.status === "DEACTIVATED") return { ok: true as const };
      const isAdmin = user.roles.some((r) => r.role === "ADMIN");
      if (isAdmin && user.status === "ACTIVE" && (await countOtherActiveAdmins(tx, userId)) === 0) {
        return { ok: false as const, error: "last-admin" as const };
      }
      await tx.user.update({ where: { id: userId }, data: { status: "DEACTIVATED" } });
      await tx.session.deleteMany({ where: { userId } });
      await tx.accountToken.deleteMany({ where: { userId, usedAt: null } });
      await appendAuditEvent(tx, { type: "user.deactivated", actorId: by, subjectId: userId });
    } else {
      if (user.status !== "DEACTIVATED") return { ok: true as const };
      await tx.user.update({ where: { id: userId }, data: { status: user.passwordHash ? "ACTIVE" : "INVITED" } });
      await appendAuditEvent(tx, { type: "user.reactivated", actorId: by, subjectId: userId });
    }
    return { ok: true as const };
  });
}

/** Creates an active account with a password (first ADMIN in production, demo seed). */
export async function createActiveUser(
  db: Db,
  { email, name, roles, password, by }: { email: string; name: string; roles: Role[]; password: string; by?: string },
): Promise<{ ok: true; userId: string } | { ok: false; error: "email-taken" }> {
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) return { ok: false, error: "email-taken" };
  const passwordHash = await hashPassword(password);
  return audited(db, async (tx) => {
    const user = await tx.user.create({
      data: {
        email,
        name,
        searchKey: searchKeyFor(name, email),
        passwordHash,
        status: "ACTIVE",
        roles: { create: normalizeRoles(roles).map((role) => ({ role })) },
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "user.created",
      actorId: by ?? null,
      subjectId: user.id,
      data: { roles: normalizeRoles(roles) },
    });
    return { ok: true as const, userId: user.id };
  });
}

export async function countUsers(db: DbTx): Promise<number> {
  return db.user.count();
}
