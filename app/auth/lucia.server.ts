import { Lucia, TimeSpan } from "lucia";
import { getDb } from "../db.server";
import type { Role } from "../domain/roles";
import { env } from "../env.server";
import type { UserStatus } from "../generated/prisma/enums";
import { PrismaLuciaAdapter } from "./lucia-adapter.server";

function createLucia() {
  const settings = env();
  return new Lucia(new PrismaLuciaAdapter(getDb), {
    sessionExpiresIn: new TimeSpan(settings.SESSION_TTL_HOURS, "h"),
    sessionCookie: {
      name: "attune_session",
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
