// Seeds demo accounts and a cohort into an EMPTY database (never in production).
// Usage: npm run db:seed   (SEED_PASSWORD sets the demo password)

import { readFileSync } from "node:fs";
import path from "node:path";
import { storeCaseStudyDocument } from "#app/case-studies/documents.server";
import { currentFramework } from "#app/content.server/frameworks.server";
import type { Db } from "#app/db.server";
import { createPrisma } from "#app/db.server";
import { PasswordSchema } from "#app/domain/account-rules";
import type { Role } from "#app/domain/roles";
import { env } from "#app/env.server";
import { setAccreditingBody } from "#app/models/accreditor.server";
import { attestConsent, createCase, logSupervision, recordSession, reviewSupervision } from "#app/models/case.server";
import { markCaseStudy, submitCaseStudy } from "#app/models/case-study.server";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import { assignRater, markCalibrated } from "#app/models/rating.server";
import { countUsers, createActiveUser } from "#app/models/user.server";
import { importRecording } from "#app/recordings/import.server";
import { CERTIFICATION_ACCOUNTS, seedCertification } from "./seed-certification";
import { PAST_TRAINEES, seedRatingHistory } from "./seed-ratings";

export const DEMO_PASSWORD = "attune-demo-2026";

export const DEMO_ACCOUNTS: { email: string; name: string; roles: Role[] }[] = [
  { email: "admin@attune.test", name: "Ada Admin", roles: ["ADMIN"] },
  { email: "moderator@attune.test", name: "Morgan Moderator", roles: ["MODERATOR", "TRAINER"] },
  { email: "accreditor@attune.test", name: "Avery Accreditor", roles: ["ACCREDITOR"] },
  { email: "trainer@attune.test", name: "Tess Trainer", roles: ["TRAINER"] },
  { email: "trainer2@attune.test", name: "Theo Trainer", roles: ["TRAINER"] },
  // A new trainer, not yet calibrated (docs/reliability.md), and an experienced rater from another service.
  { email: "trainer3@attune.test", name: "Noor Newtrainer", roles: ["TRAINER"] },
  { email: "rater@attune.test", name: "Rae Rater", roles: ["TRAINER"] },
  { email: "trainee@attune.test", name: "Rowan Trainee", roles: ["TRAINEE"] },
  { email: "trainee2@attune.test", name: "Sam Trainee", roles: ["TRAINEE"] },
  { email: "trainee3@attune.test", name: "Jo Trainee", roles: ["TRAINEE"] },
  ...CERTIFICATION_ACCOUNTS,
];

async function main() {
  const settings = env();
  if (settings.NODE_ENV === "production") {
    console.log("seed: NODE_ENV=production, not seeding. Create the first administrator with:");
    console.log("  npm run user:create -- --email you@example.org --name 'Your Name' --role ADMIN");
    return;
  }
  const password = process.env.SEED_PASSWORD || DEMO_PASSWORD;
  const checked = PasswordSchema.safeParse(password);
  if (!checked.success) throw new Error(`SEED_PASSWORD: ${checked.error.issues[0]?.message}`);

  const db = createPrisma(settings.DATABASE_URL);
  try {
    if ((await countUsers(db)) > 0) {
      console.log("seed: the database already has accounts; nothing seeded.");
      return;
    }
    const ids: Record<string, string> = {};
    for (const account of DEMO_ACCOUNTS) {
      const r = await createActiveUser(db, { ...account, password });
      if (!r.ok) throw new Error(`seed: could not create ${account.email}`);
      ids[account.email] = r.userId;
    }
    const admin = ids["admin@attune.test"] as string;
    const cohort = await createCohort(db, {
      name: "DIT practitioner course — winter 2026",
      startsOn: new Date("2026-11-02T00:00:00Z"),
      endsOn: new Date("2027-10-29T00:00:00Z"),
      by: admin,
    });
    if (!cohort.ok) throw new Error("seed: could not create the cohort");
    const member = async (email: string, role: "TRAINEE" | "TRAINER", supervisor?: string) => {
      const r = await addCohortMember(db, {
        cohortId: cohort.id,
        userId: ids[email] as string,
        role,
        supervisorId: supervisor ? (ids[supervisor] as string) : null,
        by: admin,
      });
      if (!r.ok) throw new Error(`seed: could not add ${email} to the cohort (${r.error})`);
    };
    await member("trainer@attune.test", "TRAINER");
    await member("trainer2@attune.test", "TRAINER");
    await member("trainee@attune.test", "TRAINEE", "trainer@attune.test");
    await member("trainee2@attune.test", "TRAINEE", "trainer@attune.test");
    await member("trainee3@attune.test", "TRAINEE", "trainer2@attune.test");

    const caseId = await seedDemoCase(db, ids);
    await seedDemoCaseStudy(db, ids, caseId);
    const history = await seedRatingHistory(db, ids, password);
    const codes = await seedCertification(db, ids);
    // The demo accreditor acts for BACP: their dashboard lists certificates whose holders are registered there.
    await setAccreditingBody(db, { userId: ids["accreditor@attune.test"] as string, body: "BACP", by: admin });

    console.log("seed: demo accounts created (password: %s)", process.env.SEED_PASSWORD ? "from SEED_PASSWORD" : DEMO_PASSWORD);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(24)} ${a.roles.join(", ")}`);
    console.log(
      `  ${PAST_TRAINEES.length} past trainees (${PAST_TRAINEES[0]?.email}, …) with ${history.recordings} double-rated recordings`,
    );
    console.log("seed: demo certificates (check them at /verify):");
    console.log(`  ${codes.active}  Priya Practitioner, active, on the public register`);
    console.log(`  ${codes.revoked}  Rhys Revoked, revoked`);
    console.log("  candidate@attune.test meets every step: certify Casey from Administration → Certification queue.");
  } finally {
    await db.$disconnect();
  }
}

const DAY = 24 * 60 * 60 * 1000;

/** Whole UTC days before today. */
function daysAgo(n: number): Date {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

/**
 * One open training case for the demo trainee, a month in: four weekly
 * sessions with PHQ-9/GAD-7 totals, consent attested, supervision logged
 * (two entries confirmed by the supervisor, one awaiting confirmation).
 */
async function seedDemoCase(db: Db, ids: Record<string, string>): Promise<string> {
  const trainee = ids["trainee@attune.test"] as string;
  const supervisor = ids["trainer@attune.test"] as string;
  const created = await createCase(db, { traineeId: trainee, supervisorId: supervisor, clientCode: "C-0417", startedOn: daysAgo(28) });
  if (!created.ok) throw new Error(`seed: could not create the demo case (${created.error})`);
  const caseId = created.id;
  await attestConsent(db, {
    caseId,
    attestedById: trainee,
    consentOn: daysAgo(28),
    method: "WRITTEN_FORM",
    forSupervision: true,
    forAssessment: true,
  });
  const scores = [
    { phq9: 17, gad7: 12 },
    { phq9: 16, gad7: 12 },
    { phq9: 14, gad7: 10 },
    { phq9: 12, gad7: 9 },
  ];
  for (const [i, s] of scores.entries()) {
    await recordSession(db, { caseId, number: i + 1, heldOn: daysAgo(28 - 7 * i), ...s });
  }
  for (const [daysBack, minutes] of [
    [24, 60],
    [17, 60],
    [3, 50],
  ] as const) {
    await logSupervision(db, { caseId, loggedById: trainee, heldOn: daysAgo(daysBack), minutes, notes: "" });
  }
  // A short demo recording of session 1 (a tone, not a real session), encrypted like any upload.
  const session1 = await db.caseSession.findFirstOrThrow({ where: { caseId, number: 1 }, select: { id: true } });
  const demo = readFileSync(path.join(import.meta.dirname, "seed-media", "demo-session.ogg"));
  const recording = await importRecording(db, {
    ownerId: trainee,
    target: { kind: "CASE_SESSION", caseSessionId: session1.id },
    bytes: demo,
  });
  if (!recording.ok) throw new Error(`seed: could not store the demo recording (${recording.error})`);
  // The supervisor has confirmed the first two; the latest awaits confirmation.
  const confirmed = await db.supervisionEntry.findMany({ where: { caseId }, orderBy: { heldOn: "asc" }, take: 2 });
  for (const e of confirmed) {
    await reviewSupervision(db, { caseId, entryId: e.id, reviewerId: supervisor, decision: "CONFIRMED", reviewNote: "" });
  }
  await seedDemoRatingAssignments(db, ids, recording.id);
  return caseId;
}

/**
 * The demo recording is ready to rate (docs/rating.md): the supervisor (Tess)
 * is its primary rater and Theo its blind second rater, both calibrated for
 * the current framework, as is the moderator. Sign in as either and the home
 * page links to the rating.
 */
async function seedDemoRatingAssignments(db: Db, ids: Record<string, string>, recordingId: string) {
  const framework = currentFramework();
  const admin = ids["admin@attune.test"] as string;
  for (const email of ["moderator@attune.test", "trainer@attune.test", "trainer2@attune.test"]) {
    await markCalibrated(db, { raterId: ids[email] as string, framework, by: admin });
  }
  for (const [email, role] of [
    ["trainer@attune.test", "PRIMARY"],
    ["trainer2@attune.test", "SECOND"],
  ] as const) {
    const assigned = await assignRater(db, { recordingId, raterId: ids[email] as string, role, by: admin, framework, random: () => 0 });
    if (!assigned.ok) throw new Error(`seed: could not assign ${email} to rate the demo recording (${assigned.problem})`);
  }
}

/** The demo trainee's first written case study (a short text file, encrypted like any upload), referred by their trainer with feedback. */
async function seedDemoCaseStudy(db: Db, ids: Record<string, string>, caseId: string) {
  const trainee = ids["trainee@attune.test"] as string;
  const trainer = ids["trainer@attune.test"] as string;
  const text = [
    "Case study: case C-0417 (demo text, not a real client)",
    "",
    "Assessment and engagement. The client, referred with moderate depression, described feeling invisible at work",
    "and at home. Over the first four sessions we mapped a recurring pattern in her relationships.",
    "",
    "The IPAF. Self: someone whose needs do not count. Other: busy, critical people who would be burdened.",
    "Affect: shame, and anger that is quickly turned inwards. Defensive function: by asking for nothing she avoids",
    "the rejection she expects.",
    "",
    "The middle phase and the ending are still to come.",
    "",
  ].join("\n");
  const document = await storeCaseStudyDocument(
    (async function* () {
      yield Buffer.from(text, "utf8");
    })(),
  );
  const submitted = await submitCaseStudy(db, { traineeId: trainee, title: "Case C-0417: the IPAF and early sessions", caseId, document });
  if (!submitted.ok) throw new Error(`seed: could not store the demo case study (${submitted.error})`);
  await markCaseStudy(db, {
    caseStudyId: submitted.id,
    markerId: trainer,
    outcome: "REFER",
    feedback:
      "A clear IPAF, well linked to the assessment. To pass, the case study needs the whole course of the therapy: how the focus was worked with in the middle phase, and the ending with its goodbye letter.",
  });
}

main().then(
  // Exit once done: in development the certification demo reads the course (getCurriculum), whose recursive
  // fs.watch on content/ keeps the process alive on Linux even though it is unref'd.
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
