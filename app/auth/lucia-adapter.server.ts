import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { hashToken } from "#app/crypto/tokens.server";
import type { DbTx } from "#app/db.server";
import { isRole, normalizeRoles } from "#app/domain/roles";
import type { UserStatus } from "#app/generated/prisma/enums";

/**
 * Lucia 3 adapter over our Prisma schema (the official adapter peers Prisma
 * 4/5). The database stores only the SHA-256 of each session id, so a copy of
 * the Session table cannot be used to sign in. See docs/decisions/0002-auth.md.
 */
type SessionRow = { userId: string; expiresAt: Date | string; email: string; name: string; status: string; role: string | null };

export class PrismaLuciaAdapter implements Adapter {
  constructor(private readonly db: () => DbTx) {}

  /**
   * The hot path: every signed-in request runs it once. One SQL statement
   * (session ⋈ user ⟕ roles) through `$queryRaw`, about a tenth of the cost of
   * the equivalent nested Prisma query (docs/benchmarks.md). Plain SQL that
   * SQLite and PostgreSQL both accept; enums are cast to text.
   */
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const rows = await this.db().$queryRaw<SessionRow[]>`
      SELECT s."userId" AS "userId", s."expiresAt" AS "expiresAt", u."email" AS "email", u."name" AS "name",
             CAST(u."status" AS TEXT) AS "status", CAST(r."role" AS TEXT) AS "role"
      FROM "Session" s
      JOIN "User" u ON u."id" = s."userId"
      LEFT JOIN "UserRole" r ON r."userId" = u."id"
      WHERE s."id" = ${hashToken(sessionId)}`;
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
