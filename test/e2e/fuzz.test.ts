// Bounded, seeded fuzzing of the real server (production build, server/index.ts): a few hundred requests per
// route shape — methods, content types, bodies, cookies, headers — and not one may answer 5xx.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSqliteDatabase, portOf, signInOverHttp, startServer } from "../support/server-process";

const SEED = 20261201;
const CASES_PER_SHAPE = 250;
const PASSWORD = "fuzz demo passphrase";

/** mulberry32: a small deterministic PRNG, so a failing case can be replayed from SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const TOKEN = "Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1eg12345";
const PAGES = [
  "/",
  "/login",
  "/logout",
  "/forgot-password",
  `/password-reset/${TOKEN}`,
  `/invitations/${TOKEN}`,
  "/account",
  "/admin/users",
  "/admin/users/new",
  "/admin/users/nobody",
  "/admin/cohorts",
  "/admin/cohorts/nobody",
  "/admin/audit",
  "/modules",
  "/modules/dit-in-context",
  "/modules/search",
  "/journal",
  "/glossary",
  "/marking",
  "/marking/nobody",
  "/quizzes/dit-in-context-quiz",
  "/quizzes/dit-in-context-quiz/analysis",
  "/quizzes/dit-in-context-quiz/attempts/nobody",
  "/cohorts/nobody/progress",
  "/cohorts/nobody/progress.csv",
  "/healthz",
  "/no/such/page",
  // — cred (issue #10) —
  "/verify/credential",
  "/.well-known/jwks.json",
  "/issuers/attune",
  "/api/v1/status-lists/revocation",
  "/api/v1/status-lists/nothing",
  // — verify (issue #10) —
  "/verify",
  "/verify/ATN-2222-2222",
  "/register",
  "/api/v1/certificates/ATN-2222-2222",
  "/api/v1/certificates/ATN-2222-2222/credential.json",
  "/api/v1/certificates/ATN-2222-2222/credential",
  "/api/v1/register",
  "/api/v1/openapi.json",
  "/accreditor",
  "/accreditor/bulk",
  "/accreditor/bulk.csv",
];
const GET_ONLY = ["/.well-known/jwks.json", "/issuers/attune", "/api/v1/status-lists/revocation", "/api/v1/status-lists/nothing"];
const ACTIONS = PAGES.filter(
  (p) => ![...GET_ONLY, "/healthz", "/glossary", "/modules/search", "/cohorts/nobody/progress.csv", "/no/such/page"].includes(p),
);

const NASTY = [
  "",
  "%",
  "%%%",
  "%E0%A4%A",
  "%00",
  "\u0000",
  "\r\n",
  "\t",
  "\u3000",
  "\u202e",
  "\ud83d\ude00",
  "é",
  "../../etc/passwd",
  "//evil.example",
  "/\t/127.0.0.1:3299/phish",
  "javascript:alert(1)",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "a".repeat(5000),
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "[]",
  "{}",
  "admin@attune.test",
  "ADMIN",
  "true",
];
const FIELDS = [
  "intent",
  "email",
  "password",
  "confirm",
  "current",
  "redirectTo",
  "name",
  "roles",
  "q",
  "token",
  "note",
  "text",
  "answer",
  "q.x",
  "__proto__",
  "constructor",
];
const INTENTS = [
  "roles",
  "details",
  "deactivate",
  "reactivate",
  "reissue-invitation",
  "reset-link",
  "complete",
  "save",
  "submit",
  "add",
  "remove",
  "reflect",
  "mark",
  "nonsense",
];

function nasty(rng: Rng): string {
  return rng.chance(0.3) ? rng.pick(INTENTS) : rng.pick(NASTY);
}

function urlencoded(rng: Rng): string {
  const parts: string[] = [];
  for (let i = rng.int(6); i >= 0; i--) {
    const value = nasty(rng);
    parts.push(`${rng.pick(FIELDS)}=${rng.chance(0.2) ? value : encodeURIComponent(value)}`);
  }
  return parts.join("&");
}

function multipart(rng: Rng, boundary: string): string {
  let body = "";
  for (let i = rng.int(4); i >= 0; i--) {
    const file = rng.chance(0.2) ? `; filename="${rng.pick(["a.txt", "../x", ""])}"` : "";
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${rng.pick(FIELDS)}"${file}\r\n\r\n${nasty(rng)}\r\n`;
  }
  return rng.chance(0.3) ? body.slice(0, rng.int(body.length + 1)) : `${body}--${boundary}--\r\n`;
}

function randomBytes(rng: Rng): string {
  return Array.from({ length: rng.int(300) }, () => String.fromCharCode(rng.int(256))).join("");
}

type Case = { method: string; path: string; headers: Record<string, string>; body?: string };

function body(rng: Rng): { type?: string; body?: string } {
  switch (rng.int(9)) {
    case 0:
      return {};
    case 1:
    case 2:
      return { type: "application/x-www-form-urlencoded", body: urlencoded(rng) };
    case 3: {
      const b = `----fuzz${rng.int(1000)}`;
      return { type: `multipart/form-data; boundary=${rng.chance(0.8) ? b : "other"}`, body: multipart(rng, b) };
    }
    case 4:
      return { type: "multipart/form-data", body: multipart(rng, "nobound") };
    case 5:
      return { type: "application/json", body: rng.pick(['{"email":"a@b.c"}', "{", "[]", "null"]) };
    case 6:
      return {
        type: rng.pick(["text/plain", "application/octet-stream", "a/b;;;=", "application/x-www-form-urlencoded; charset=utf-7"]),
        body: randomBytes(rng),
      };
    case 7:
      return { type: "application/x-www-form-urlencoded", body: randomBytes(rng) };
    default:
      return { body: urlencoded(rng) };
  }
}

function query(rng: Rng): string {
  if (rng.chance(0.6)) return "";
  const q = [`${rng.pick(["q", "redirectTo", "page", "role", "status", "index", "_data"])}=${encodeURIComponent(nasty(rng))}`];
  return `?${q.join("&")}`;
}

const SHAPES: Record<string, (rng: Rng, sessions: string[]) => Case> = {
  "pages (GET/HEAD with odd queries)": (rng, sessions) => ({
    method: rng.pick(["GET", "HEAD"]),
    path: rng.pick(PAGES) + query(rng),
    headers: rng.chance(0.5) ? { Cookie: rng.pick(sessions) } : ({} as Record<string, string>),
  }),
  "data requests (.data)": (rng, sessions) => {
    const page = rng.pick(PAGES);
    const { type, body: b } = body(rng);
    return {
      method: rng.pick(["GET", "POST"]),
      path: `${page === "/" ? "/_root" : page}.data${query(rng)}`,
      headers: { Cookie: rng.pick(sessions), ...(type ? { "Content-Type": type } : {}) },
      body: b,
    };
  },
  "form actions, anonymous": (rng): Case => {
    const { type, body: b } = body(rng);
    return { method: "POST", path: rng.pick(ACTIONS), headers: type ? { "Content-Type": type } : ({} as Record<string, string>), body: b };
  },
  "form actions, signed in": (rng, sessions) => {
    const { type, body: b } = body(rng);
    const path = rng.pick(ACTIONS.filter((p) => p !== "/logout"));
    return {
      method: "POST",
      path,
      headers: { Cookie: rng.pick(sessions.slice(0, 3)), ...(type ? { "Content-Type": type } : {}) },
      body: b,
    };
  },
  methods: (rng, sessions) => {
    const { type, body: b } = body(rng);
    return {
      method: rng.pick(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "HEAD"]),
      path: rng.pick(PAGES),
      headers: { Cookie: rng.pick(sessions), ...(type ? { "Content-Type": type } : {}) },
      body: b,
    };
  },
  cookies: (rng, sessions) => ({
    method: rng.pick(["GET", "POST"]),
    path: rng.pick(PAGES),
    headers: {
      Cookie: rng.pick([
        "other=%%%",
        "attune_session=%",
        "attune_session=%E0%A4%A",
        `attune_session=${TOKEN}`,
        "attune_session=; attune_session=x",
        `${rng.pick(sessions)}; other=%%%`,
        `a=${"b".repeat(4000)}`,
        "=;=;;",
        "attune_session",
      ]),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: urlencoded(rng),
  }),
  headers: (rng, sessions) => ({
    method: rng.pick(["GET", "POST"]),
    path: rng.pick(PAGES),
    headers: {
      Cookie: rng.pick(sessions),
      ...(rng.chance(0.5) ? { Host: rng.pick(["evil.example", "a:b:c", "[::1]:99999", "x y", "localhost:0", "", "-.example"]) } : {}),
      ...(rng.chance(0.5) ? { "X-Forwarded-Host": rng.pick(["evil.example", "a:b:c", "x, y", ":::", ""]) } : {}),
      ...(rng.chance(0.5) ? { "X-Forwarded-For": rng.pick(["1.2.3.4", "garbage", "1.2.3.4, ::1, x", ""]) } : {}),
      ...(rng.chance(0.5) ? { "X-Forwarded-Proto": rng.pick(["https", "gopher", "ht tp", ""]) } : {}),
      ...(rng.chance(0.4) ? { Origin: rng.pick(["https://evil.example", "null", "http://localhost"]) } : {}),
      ...(rng.chance(0.3) ? { "Sec-Fetch-Site": rng.pick(["cross-site", "same-origin", "none", "??"]) } : {}),
      ...(rng.chance(0.3) ? { Accept: rng.pick(["*/*", "text/html", "application/json", ";;;"]) } : {}),
      ...(rng.chance(0.3) ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: urlencoded(rng),
  }),
  "one-time links": (rng): Case => {
    const token = rng.pick([TOKEN, "x", "%", "..", "a".repeat(400), "%00", "%E0%A4%A", "\u00e9"]);
    const { type, body: b } = body(rng);
    return {
      method: rng.pick(["GET", "POST"]),
      path: `/${rng.pick(["password-reset", "invitations"])}/${encodeURI(token)}`,
      headers: type ? { "Content-Type": type } : ({} as Record<string, string>),
      body: b,
    };
  },
};

function send(port: number, c: Case): Promise<number | "client-refused"> {
  return new Promise((resolve, reject) => {
    let req: ReturnType<typeof request>;
    try {
      req = request({ host: "127.0.0.1", port, method: c.method, path: c.path, headers: c.headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
    } catch {
      return resolve("client-refused"); // Node's client would not even send it (e.g. a control character in a header).
    }
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${c.method} ${c.path}`)));
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? resolve(400) : reject(e)));
    req.end(c.body === undefined ? undefined : Buffer.from(c.body, "latin1"));
  });
}

let server: ReturnType<typeof startServer>;
let db: ReturnType<typeof freshSqliteDatabase>;
let port: number;
let sessions: string[];

beforeAll(async () => {
  db = freshSqliteDatabase({ seed: true, password: PASSWORD });
  server = startServer({ DATABASE_URL: db.url, LOG_REQUESTS: "false", SMTP_URL: "", APP_URL: "" });
  port = await portOf(server.output);
  const base = `http://127.0.0.1:${port}`;
  sessions = [
    await signInOverHttp(base, "admin@attune.test", PASSWORD),
    await signInOverHttp(base, "trainer@attune.test", PASSWORD),
    await signInOverHttp(base, "trainee@attune.test", PASSWORD),
    "",
  ];
});

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exit;
  db?.cleanup();
});

describe(`fuzzing the server (seed ${SEED}, ${CASES_PER_SHAPE} cases per shape)`, () => {
  for (const [i, [shape, make]] of Object.entries(SHAPES).entries()) {
    it(`${shape}: no 5xx`, async () => {
      const rng = prng(SEED + i);
      const failures: string[] = [];
      let sent = 0;
      for (let n = 0; n < CASES_PER_SHAPE; n += 5) {
        const batch = Array.from({ length: Math.min(5, CASES_PER_SHAPE - n) }, () => make(rng, sessions));
        const statuses = await Promise.all(batch.map((c) => send(port, c)));
        statuses.forEach((status, k) => {
          if (status === "client-refused") return;
          sent++;
          const c = batch[k] as Case;
          if (status >= 500)
            failures.push(`${status} ${c.method} ${c.path} ${JSON.stringify(c.headers)} ${JSON.stringify(c.body?.slice(0, 200))}`);
        });
      }
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThan(CASES_PER_SHAPE * 0.8);
    });
  }
});
