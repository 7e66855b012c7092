import { describe, expect, it } from "vitest";
import { type AssignmentFacts, allRatingsIn, assignmentProblem, rolesAwaited } from "#app/domain/rating-assignment";

const base: AssignmentFacts = {
  recording: { ownerId: "trainee", status: "READY", supervisorIds: ["supervisor"] },
  assessmentState: null,
  current: [],
  candidate: { id: "rater", roles: ["TRAINER"], active: true, calibrated: true },
  role: "PRIMARY",
  purpose: "SUMMATIVE",
};
type Over = Omit<Partial<AssignmentFacts>, "candidate"> & { candidate?: Partial<AssignmentFacts["candidate"]> };
const facts = (over: Over): AssignmentFacts => ({
  ...base,
  ...over,
  candidate: { ...base.candidate, ...over.candidate },
});

describe("assigning raters", () => {
  it("allows a calibrated trainer or moderator as primary, and the supervisor as primary", () => {
    expect(assignmentProblem(base)).toBeNull();
    expect(assignmentProblem(facts({ candidate: { roles: ["MODERATOR"] } }))).toBeNull();
    expect(assignmentProblem(facts({ candidate: { id: "supervisor" } }))).toBeNull();
  });

  it("rates only READY recordings, and only while the ratings are being collected", () => {
    for (const status of ["UPLOADING", "REJECTED", "WITHDRAWN", "PURGED"] as const) {
      expect(assignmentProblem(facts({ recording: { ...base.recording, status } })), status).toBe("not-ready");
    }
    expect(assignmentProblem(facts({ assessmentState: "RATING" }))).toBeNull();
    expect(assignmentProblem(facts({ assessmentState: "MODERATION" }))).toBe("closed");
    expect(assignmentProblem(facts({ assessmentState: "FINAL" }))).toBe("closed");
  });

  it("never the trainee themself, even when they also hold a trainer role", () => {
    expect(assignmentProblem(facts({ candidate: { id: "trainee", roles: ["TRAINEE", "TRAINER"] } }))).toBe("own-recording");
  });

  it("only active trainers and moderators rate", () => {
    expect(assignmentProblem(facts({ candidate: { roles: ["TRAINEE"] } }))).toBe("not-a-rater");
    expect(assignmentProblem(facts({ candidate: { roles: ["ADMIN"] } }))).toBe("not-a-rater");
    expect(assignmentProblem(facts({ candidate: { active: false } }))).toBe("not-a-rater");
  });

  it("never the same person twice", () => {
    const current = [{ raterId: "rater", role: "PRIMARY" as const }];
    expect(assignmentProblem(facts({ current, role: "SECOND" }))).toBe("already-assigned");
  });

  it("the second rater is never the trainee's supervisor (case or cohort)", () => {
    const current = [{ raterId: "other", role: "PRIMARY" as const }];
    expect(assignmentProblem(facts({ current, role: "SECOND", candidate: { id: "supervisor" } }))).toBe("supervisor-as-second");
    const cohort = { ...base.recording, supervisorIds: ["supervisor", "cohort-supervisor"] };
    expect(assignmentProblem(facts({ current, recording: cohort, role: "SECOND", candidate: { id: "cohort-supervisor" } }))).toBe(
      "supervisor-as-second",
    );
    expect(assignmentProblem(facts({ current, role: "SECOND" }))).toBeNull();
  });

  it("one rater per role at a time", () => {
    expect(assignmentProblem(facts({ current: [{ raterId: "other", role: "PRIMARY" }] }))).toBe("role-taken");
  });

  it("an uncalibrated rater cannot be assigned a summative recording, but may rate calibration material", () => {
    expect(assignmentProblem(facts({ candidate: { calibrated: false } }))).toBe("not-calibrated");
    expect(assignmentProblem(facts({ candidate: { calibrated: false }, purpose: "CALIBRATION" }))).toBeNull();
  });
});

describe("which ratings an assessment waits for", () => {
  it("the primary alone, or both when a second rater is required or assigned anyway", () => {
    expect(rolesAwaited(false, [{ role: "PRIMARY" }])).toEqual(["PRIMARY"]);
    expect(rolesAwaited(true, [{ role: "PRIMARY" }])).toEqual(["PRIMARY", "SECOND"]);
    expect(rolesAwaited(false, [{ role: "PRIMARY" }, { role: "SECOND" }])).toEqual(["PRIMARY", "SECOND"]);
  });

  it("all in only when every awaited role has a submitted rating", () => {
    expect(allRatingsIn(false, [{ role: "PRIMARY", submitted: true }])).toBe(true);
    expect(allRatingsIn(true, [{ role: "PRIMARY", submitted: true }])).toBe(false);
    expect(
      allRatingsIn(true, [
        { role: "PRIMARY", submitted: true },
        { role: "SECOND", submitted: false },
      ]),
    ).toBe(false);
    expect(
      allRatingsIn(true, [
        { role: "PRIMARY", submitted: true },
        { role: "SECOND", submitted: true },
      ]),
    ).toBe(true);
    expect(allRatingsIn(false, [])).toBe(false);
  });
});
