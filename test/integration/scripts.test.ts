// The command-line tasks, run as a person would, against this file's database.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";

function run(script: string, args: string[], { input = "", env = {} }: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync("node_modules/.bin/tsx", [script, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("npm run db:seed", () => {
  it("never seeds in production", async () => {
    const r = run("scripts/seed.ts", [], { env: { NODE_ENV: "production" } });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/NODE_ENV=production, not seeding/);
    expect(await getDb().user.count()).toBe(0);
  });

  // Two seed processes (the demo includes a rating history): more than the default 20 s on a busy shared machine.
  it("seeds an empty database once, printing the demo accounts, and leaves a non-empty one alone", { timeout: 90_000 }, async () => {
    const first = run("scripts/seed.ts", [], { env: { NODE_ENV: "development", SEED_PASSWORD: "a demo passphrase" } });
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/admin@attune\.test\s+ADMIN/);
    expect(first.out).toMatch(/trainee3@attune\.test\s+TRAINEE/);
    const users = await getDb().user.findMany({ include: { roles: true } });
    // 10 demo accounts and 6 past trainees (scripts/seed-ratings.ts).
    expect(users).toHaveLength(16);
    expect(users.every((u) => u.status === "ACTIVE")).toBe(true);
    expect(await getDb().cohortMember.count()).toBe(5 + 8);
    // The rating history: double-rated recordings with final ratings, calibration material, calibrated raters and one who is not.
    expect(first.out).toMatch(/6 past trainees .* with 36 double-rated recordings/);
    expect(await getDb().recordingAssessment.count({ where: { state: "FINAL" } })).toBe(36);
    expect(await getDb().calibrationRecording.count({ where: { referenceRatingId: { not: null } } })).toBe(3);
    const calibrated = await getDb().raterQualification.findMany({ select: { rater: { select: { email: true } } } });
    expect(calibrated.map((q) => q.rater.email).sort()).toEqual([
      "moderator@attune.test",
      "rater@attune.test",
      "trainer2@attune.test",
      "trainer@attune.test",
    ]);
    const second = run("scripts/seed.ts", [], { env: { NODE_ENV: "development" } });
    expect(second.out).toMatch(/already has accounts; nothing seeded/);
    expect(await getDb().user.count()).toBe(16);
  });
});

describe("npm run user:create", () => {
  it("creates an active account with the given roles, reading the password from standard input", async () => {
    const r = run(
      "scripts/user-create.ts",
      ["--email", "First.Admin@Example.org", "--name", "First Admin", "--role", "ADMIN", "--role", "TRAINER"],
      {
        input: "a long first-admin passphrase\n",
      },
    );
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Created first\.admin@example\.org \(ADMIN, TRAINER\)/);
    const user = await getDb().user.findUnique({ where: { email: "first.admin@example.org" }, include: { roles: true } });
    expect(user?.status).toBe("ACTIVE");
    expect(user?.roles.map((x) => x.role).sort()).toEqual(["ADMIN", "TRAINER"]);
    expect(await getDb().auditEvent.count({ where: { type: "user.created", subjectId: user?.id } })).toBe(1);
  });

  it("refuses bad input and duplicates, naming the problem", async () => {
    expect(run("scripts/user-create.ts", ["--email", "nope", "--role", "WIZARD"], { input: "a long enough passphrase\n" })).toMatchObject({
      status: 1,
      out: expect.stringMatching(/--email: Enter a valid email address[\s\S]*--role/),
    });
    expect(run("scripts/user-create.ts", ["--email", "short@example.org", "--role", "ADMIN"], { input: "short\n" })).toMatchObject({
      status: 1,
      out: expect.stringMatching(/password: Use at least 12 characters/),
    });
    run("scripts/user-create.ts", ["--email", "twice@example.org", "--role", "ADMIN"], { input: "a long enough passphrase\n" });
    expect(
      run("scripts/user-create.ts", ["--email", "twice@example.org", "--role", "ADMIN"], { input: "a long enough passphrase\n" }),
    ).toMatchObject({
      status: 1,
      out: expect.stringMatching(/already exists/),
    });
  });
});
