import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { hashToken } from "#app/crypto/tokens.server";
import { type DbTx, sqliteRead } from "#app/db.server";
import { isRole, normalizeRoles } from "#app/domain/roles";
import type { UserStatus } from "#app/generated/prisma/enums";

/**
 * Lucia 3 adapter over our Prisma schema (the official adapter peers Prisma
 * 4/5). The database stores only the SHA-256 of each session id, so a copy of
 * the Session table cannot be used to sign in. See docs/decisions/0002-auth.md.
 */
type SessionRow = { userId: string; expiresAt: Date | string; email: string; name: string; status: string; role: string | null };

/** The hot path's statement as plain SQLite SQL (the PostgreSQL path below is the same statement through Prisma). */
const SESSION_SQL = `
  SELECT s."userId" AS "userId", s."expiresAt" AS "expiresAt", u."email" AS "email", u."name" AS "name",
         CAST(u."status" AS TEXT) AS "status", CAST(r."role" AS TEXT) AS "role"
  FROM "Session" s
  JOIN "User" u ON u."id" = s."userId"
  LEFT JOIN "UserRole" r ON r."userId" = u."id"
  WHERE s."id" = ?`;

export class PrismaLuciaAdapter implements Adapter {
  /** `direct`: read sessions through `sqliteRead` on SQLite (the process-wide database); tests of other clients pass false. */
  constructor(
    private readonly db: () => DbTx,
    private readonly direct = false,
  ) {}

  /**
   * The hot path: every signed-in request runs it once, and nothing of it is cached, so a sign-out or a
   * deactivation counts from the next request on every instance. One SQL statement (session ⋈ user ⟕ roles):
   * on SQLite a prepared statement on a read-only connection (`sqliteRead`, ~1 ms of CPU less than through
   * Prisma); on PostgreSQL through `$queryRaw`, about a tenth of the cost of the equivalent nested Prisma query
   * (docs/benchmarks.md). Enums are cast to text.
   */
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const hashed = hashToken(sessionId);
    const rows =
      (this.direct ? sqliteRead<SessionRow>(SESSION_SQL, [hashed]) : undefined) ??
      (await this.db().$queryRaw<SessionRow[]>`
      SELECT s."userId" AS "userId", s."expiresAt" AS "expiresAt", u."email" AS "email", u."name" AS "name",
             CAST(u."status" AS TEXT) AS "status", CAST(r."role" AS TEXT) AS "role"
      FROM "Session" s
      JOIN "User" u ON u."id" = s."userId"
      LEFT JOIN "UserRole" r ON r."userId" = u."id"
      WHERE s."id" = ${hashed}`);
    const first = rows[0];
    if (!first) return [null, null];
    const roles = normalizeRoles(rows.map((r) => r.role).filter(isRole));
    return [
      { id: sessionId, userId: first.userId, expiresAt: new Date(first.expiresAt), attributes: {} },
      { id: first.userId, attributes: { email: first.email, name: first.name, status: first.status as UserStatus, roles } },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db().session.findMany({ where: { userId } });
    return rows.map((s) => ({ id: s.id, userId: s.userId, expiresAt: s.expiresAt, attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db().session.create({
      data: { id: hashToken(session.id), userId: session.userId, expiresAt: session.expiresAt },
    });
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db().session.updateMany({ where: { id: hashToken(sessionId) }, data: { expiresAt } });
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db().session.deleteMany({ where: { id: hashToken(sessionId) } });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db().session.deleteMany({ where: { userId } });
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db().session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  }
}
