// Every route module is listed here with who may use its loader and action.
// A new route without an entry fails this test, so access is always decided
// on purpose — and each entry is checked against the real route code.
import { describe, expect, it } from "vitest";
import type { Role } from "#app/domain/roles";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";

type Access = "public" | "signed-in" | readonly Role[];
type Entry = { path: string; params?: Record<string, string>; loader?: Access; action?: Access };

const ADMIN_ONLY = ["ADMIN"] as const;

const ROUTES: Record<string, Entry> = {
  "$.tsx": { path: "/no/such/page", loader: "public", action: "public" },
  "_index.tsx": { path: "/", loader: "signed-in" },
  "account.tsx": { path: "/account", loader: "signed-in", action: "signed-in" },
  "admin._index.tsx": { path: "/admin", loader: ADMIN_ONLY },
  "admin.audit.tsx": { path: "/admin/audit", loader: ADMIN_ONLY },
  "admin.cohorts.$cohortId.tsx": { path: "/admin/cohorts/x", params: { cohortId: "x" }, loader: ADMIN_ONLY, action: ADMIN_ONLY },
  "admin.cohorts._index.tsx": { path: "/admin/cohorts", loader: ADMIN_ONLY, action: ADMIN_ONLY },
  "admin.users.$userId.tsx": { path: "/admin/users/x", params: { userId: "x" }, loader: ADMIN_ONLY, action: ADMIN_ONLY },
  "admin.users._index.tsx": { path: "/admin/users", loader: ADMIN_ONLY },
  "admin.users.new.tsx": { path: "/admin/users/new", loader: ADMIN_ONLY, action: ADMIN_ONLY },
  "cohorts.$cohortId.progress.tsx": { path: "/cohorts/x/progress", params: { cohortId: "x" }, loader: ["ADMIN", "TRAINER"] },
  "cohorts.$cohortId.progress[.csv].ts": { path: "/cohorts/x/progress.csv", params: { cohortId: "x" }, loader: ["ADMIN", "TRAINER"] },
  "glossary.tsx": { path: "/glossary", loader: "signed-in" },
  "journal.tsx": { path: "/journal", loader: "signed-in" },
  "modules.$slug.tsx": { path: "/modules/the-ipaf", params: { slug: "the-ipaf" }, loader: "signed-in", action: "signed-in" },
  "modules._index.tsx": { path: "/modules", loader: "signed-in" },
  "modules.search.tsx": { path: "/modules/search?q=ipaf", loader: "signed-in" },
  "marking._index.tsx": { path: "/marking", loader: ["TRAINER", "ADMIN"] },
  "marking.$attemptId.tsx": { path: "/marking/x", params: { attemptId: "x" }, loader: ["TRAINER", "ADMIN"], action: ["TRAINER", "ADMIN"] },
  "quizzes.$quizId._index.tsx": {
    path: "/quizzes/the-ipaf-quiz",
    params: { quizId: "the-ipaf-quiz" },
    loader: "signed-in",
    action: "signed-in",
  },
  "quizzes.$quizId.analysis.tsx": {
    path: "/quizzes/the-ipaf-quiz/analysis",
    params: { quizId: "the-ipaf-quiz" },
    loader: ["TRAINER", "ADMIN"],
  },
  "quizzes.$quizId.attempts.$attemptId.tsx": {
    path: "/quizzes/the-ipaf-quiz/attempts/x",
    params: { quizId: "the-ipaf-quiz", attemptId: "x" },
    loader: "signed-in",
    action: "signed-in",
  },
  "forgot-password.tsx": { path: "/forgot-password", loader: "public", action: "public" },
  "healthz.ts": { path: "/healthz", loader: "public" },
  "invitations.$token.tsx": { path: "/invitations/t", params: { token: "t" }, loader: "public", action: "public" },
  "login.tsx": { path: "/login", loader: "public", action: "public" },
  "logout.tsx": { path: "/logout", loader: "public", action: "public" },
  "password-reset.$token.tsx": { path: "/password-reset/t", params: { token: "t" }, loader: "public", action: "public" },
};

type RouteModule = { loader?: Parameters<typeof callLoader>[0]; action?: Parameters<typeof callAction>[0] };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });
const byFile = Object.fromEntries(Object.entries(modules).map(([p, m]) => [p.split("/").pop() as string, m]));

const OTHER_ROLES: Role[] = ["TRAINEE", "TRAINER", "MODERATOR", "ADMIN", "ACCREDITOR"];

describe("access control", () => {
  it("every route file has an access entry, and every entry a route", () => {
    expect(Object.keys(byFile).sort()).toEqual(Object.keys(ROUTES).sort());
    for (const [file, entry] of Object.entries(ROUTES)) {
      const mod = byFile[file] as RouteModule;
      expect(Boolean(mod.loader), `${file} loader`).toBe(Boolean(entry.loader));
      expect(Boolean(mod.action), `${file} action`).toBe(Boolean(entry.action));
    }
  });

  for (const [file, entry] of Object.entries(ROUTES)) {
    for (const kind of ["loader", "action"] as const) {
      const access = entry[kind];
      if (!access || access === "public") continue;
      const call = (cookie?: string) => {
        const mod = byFile[file] as RouteModule;
        return kind === "loader"
          ? callLoader(mod.loader as Parameters<typeof callLoader>[0], { path: entry.path, params: entry.params, cookie })
          : callAction(mod.action as Parameters<typeof callAction>[0], {
              path: entry.path,
              params: entry.params,
              cookie,
              form: { intent: "x" },
            });
      };

      it(`${file} ${kind}: anonymous visitors are sent to sign in`, async () => {
        const out = await call();
        expect(out.status).toBe(302);
        expect(out.headers.get("Location")).toMatch(/^\/login/);
      });

      it(`${file} ${kind}: a deactivated account is treated as signed out`, async () => {
        const user = await makeUser(access === "signed-in" ? ["TRAINEE"] : [...access]);
        const cookie = await cookieFor(user.id);
        const { getDb } = await import("#app/db.server");
        await getDb().user.update({ where: { id: user.id }, data: { status: "DEACTIVATED" } });
        expect((await call(cookie)).status).toBe(302);
      });

      if (access !== "signed-in") {
        const wrong = OTHER_ROLES.filter((r) => !access.includes(r));
        it(`${file} ${kind}: ${wrong.join(", ")} get 403`, async () => {
          for (const role of wrong) {
            const user = await makeUser([role]);
            const out = await call(await cookieFor(user.id));
            expect(out.status, role).toBe(403);
          }
        });
        it(`${file} ${kind}: ${access.join(", ")} get through`, async () => {
          const user = await makeUser([...access]);
          const out = await call(await cookieFor(user.id));
          expect([200, 302, 400, 404, 409]).toContain(out.status);
        });
      }
    }
  }
});
