import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { DbTx } from "../db.server";
import { hashToken } from "./tokens.server";

/**
 * Lucia 3 adapter over our Prisma schema (the official adapter peers Prisma
 * 4/5). The database stores only the SHA-256 of each session id, so a copy of
 * the Session table cannot be used to sign in. See docs/decisions/0002-auth.md.
 */
export class PrismaLuciaAdapter implements Adapter {
  constructor(private readonly db: () => DbTx) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db().session.findUnique({
      where: { id: hashToken(sessionId) },
      select: {
        userId: true,
        expiresAt: true,
        user: { select: { id: true, email: true, name: true, status: true, roles: { select: { role: true } } } },
      },
    });
    if (!row) return [null, null];
    const { user } = row;
    return [
      { id: sessionId, userId: row.userId, expiresAt: row.expiresAt, attributes: {} },
      {
        id: user.id,
        attributes: { email: user.email, name: user.name, status: user.status, roles: user.roles.map((r) => r.role) },
      },
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
