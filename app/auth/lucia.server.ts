import { Lucia, TimeSpan } from "lucia";
import { PrismaLuciaAdapter } from "#app/auth/lucia-adapter.server";
import { SESSION_COOKIE } from "#app/auth/session-cookie";
import { getDb } from "#app/db.server";
import type { Role } from "#app/domain/roles";
import { env } from "#app/env.server";
import type { UserStatus } from "#app/generated/prisma/enums";

function createLucia() {
  const settings = env();
  return new Lucia(new PrismaLuciaAdapter(getDb, true), {
    sessionExpiresIn: new TimeSpan(settings.SESSION_TTL_HOURS, "h"),
    sessionCookie: {
      name: SESSION_COOKIE,
      // Not refreshed per request: see browserSessionCookie in session.server.ts.
      expires: false,
      attributes: { secure: settings.COOKIE_SECURE ?? settings.NODE_ENV === "production", sameSite: "lax" },
    },
    getUserAttributes: (attributes) => attributes,
  });
}

let instance: ReturnType<typeof createLucia> | undefined;

export function lucia() {
  instance ??= createLucia();
  return instance;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string; name: string; status: UserStatus; roles: Role[] };
  }
}
