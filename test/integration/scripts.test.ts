// The command-line tasks, run as a person would, against this file's database.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { makeUser } from "../support/app";
import { makeCertificate } from "../support/certificates";

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

  // The demo certification data (scripts/seed-certification.ts) makes the evidence of every pathway step for three
  // people, which takes a while on a busy machine.
  it("seeds an empty database once, printing the demo accounts and certificate codes, and leaves a non-empty one alone", {
    timeout: 180_000,
  }, async () => {
    const first = run("scripts/seed.ts", [], { env: { NODE_ENV: "development", SEED_PASSWORD: "a demo passphrase" } });
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/admin@attune\.test\s+ADMIN/);
    expect(first.out).toMatch(/trainee3@attune\.test\s+TRAINEE/);
    // The demo codes are the same on every seed (README, "First run").
    expect(first.out).toMatch(/ATN-GPDY-Z956 {2}Priya Practitioner, active, on the public register/);
    expect(first.out).toMatch(/ATN-3G8E-A2B3 {2}Rhys Revoked, revoked/);
    const users = await getDb().user.findMany({ include: { roles: true } });
    // 14 demo accounts (with the certification demo's practitioner, revoked holder and candidate) and 6 past
    // trainees (scripts/seed-ratings.ts).
    expect(users).toHaveLength(20);
    expect(users.every((u) => u.status === "ACTIVE")).toBe(true);
    expect(await getDb().cohortMember.count()).toBe(17);
    // The rating history: double-rated recordings with final ratings, calibration material, calibrated raters and one who is not.
    expect(first.out).toMatch(/6 past trainees .* with 36 double-rated recordings/);
    // 36 of the rating history, and 5 for each of the certification demo's three people (role-play and four sessions).
    expect(await getDb().recordingAssessment.count({ where: { state: "FINAL" } })).toBe(36 + 3 * 5);
    expect(await getDb().calibrationRecording.count({ where: { referenceRatingId: { not: null } } })).toBe(3);
    const calibrated = await getDb().raterQualification.findMany({ select: { rater: { select: { email: true } } } });
    expect(calibrated.map((q) => q.rater.email).sort()).toEqual([
      "moderator@attune.test",
      "rater@attune.test",
      "trainer2@attune.test",
      "trainer@attune.test",
    ]);
    expect(
      await getDb().certificate.findMany({ orderBy: { code: "asc" }, select: { code: true, status: true, onRegister: true } }),
    ).toEqual([
      { code: "ATN-3G8E-A2B3", status: "REVOKED", onRegister: false },
      { code: "ATN-GPDY-Z956", status: "ACTIVE", onRegister: true },
    ]);
    const second = run("scripts/seed.ts", [], { env: { NODE_ENV: "development" } });
    expect(second.out).toMatch(/already has accounts; nothing seeded/);
    expect(await getDb().user.count()).toBe(20);
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

describe("npm run certificates:daily", () => {
  it("records a passed expiry once and says what it did", { timeout: 60_000 }, async () => {
    const holder = await makeUser(["TRAINEE"]);
    const cert = await makeCertificate(holder.id, {
      issuedAt: new Date(Date.now() - 400 * 86_400_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    const first = run("scripts/certificates-daily.ts", []);
    expect(first).toMatchObject({
      status: 0,
      out: expect.stringMatching(/certificates:daily: 1 expiries recorded, 0 expiry notices sent\./),
    });
    expect(run("scripts/certificates-daily.ts", []).out).toMatch(/0 expiries recorded/);
    expect(await getDb().certificateEvent.count({ where: { certificateId: cert.id, type: "EXPIRED" } })).toBe(1);
  });
});
