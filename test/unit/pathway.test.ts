import { describe, expect, it } from "vitest";
import { canonicalJson, evidenceHash } from "#app/domain/evidence-hash";
import {
  addMonths,
  type CaseEvidence,
  type CaseStudyEvidence,
  evaluatePathway,
  evidenceOf,
  type Pathway,
  PathwayError,
  type PathwayEvidence,
  parsePathway,
  type RatingEvidence,
  type StepEvaluation,
  type SupervisionEvidence,
} from "#app/domain/pathway";
import { checklistView } from "#app/domain/pathway-view";

// Each step type of the pathway, evaluated over hand-built evidence (the gathering is tested on real rows in
// test/integration/pathway-evidence.test.ts). Dates are UTC; NOW is fixed.

const NOW = new Date("2027-06-01T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** A pathway with every step type, in the real file's shape, with small numbers. */
function rawPathway(): Record<string, unknown> {
  return {
    id: "test-pathway",
    version: 1,
    title: "Test pathway",
    notice: "For the unit tests.",
    references: [],
    steps: [
      { id: "modules", type: "modules", title: "Modules completed", certainty: "P", basis: "Test basis.", modules: ["m-one", "m-two"] },
      { id: "quizzes", type: "quizzes", title: "Quizzes passed", certainty: "?", basis: "Test basis.", quizzes: ["q-one", "q-two"] },
      { id: "role-play", type: "role-play", title: "Role-play competent", certainty: "S", basis: "Test basis." },
      {
        id: "concurrent",
        type: "concurrent-cases",
        title: "Two concurrent cases",
        certainty: "P",
        basis: "Test basis.",
        count: 2,
        minOverlapDays: 28,
        countStatuses: ["OPEN", "ENDED"],
      },
      { id: "supervision", type: "supervision-hours", title: "Supervision", certainty: "S", basis: "Test basis.", hours: 16 },
      {
        id: "recordings",
        type: "case-recordings",
        title: "Four recordings",
        certainty: "P",
        basis: "Test basis.",
        concurrentWith: "concurrent",
        perCase: [
          [
            { phase: "initial", label: "the IPAF session (initial phase)" },
            { phase: "middle", label: "a middle-phase session" },
          ],
          [
            { phase: "initial", label: "the IPAF session (initial phase)" },
            { phase: "ending", label: "an ending-phase session" },
          ],
        ],
      },
      { id: "case-study", type: "case-study", title: "Case study", certainty: "S", basis: "Test basis.", markerRoles: ["TRAINER"] },
      {
        id: "started-in-time",
        type: "time-limit",
        title: "Started within 6 months",
        certainty: "S",
        basis: "Test basis.",
        from: { steps: ["modules"], label: "completing the course" },
        to: { event: "first-case-started", label: "starting supervised practice" },
        withinMonths: 6,
        onExceeded: "A refresher is needed.",
      },
      {
        id: "finished-in-time",
        type: "time-limit",
        title: "Supervision within 3 years",
        certainty: "S",
        basis: "Test basis.",
        from: { steps: ["modules"], label: "completing the course" },
        to: { steps: ["supervision"], label: "completing the supervision hours" },
        withinMonths: 36,
        onExceeded: "Repeat the training.",
      },
    ],
    certificate: {
      credentialName: "Test Practitioner",
      description: "Completed the test pathway.",
      validityMonths: null,
      renewal: { cpdHours: 30, periodMonths: 12 },
      issuerName: "Test body",
    },
  };
}

const PATHWAY: Pathway = parsePathway(rawPathway());

let seq = 0;
const id = (p: string) => `${p}-${++seq}`;

function caseEv(
  clientCode: string,
  startedOn: string,
  closedOn: string | null = null,
  status: CaseEvidence["status"] = closedOn ? "ENDED" : "OPEN",
): CaseEvidence {
  return {
    id: `case-${clientCode}`,
    clientCode,
    supervisorId: "sup",
    status,
    startedOn: d(startedOn),
    closedOn: closedOn ? d(closedOn) : null,
    hash: `h-${clientCode}`,
  };
}

function rating(c: CaseEvidence | null, phase: RatingEvidence["phase"], over: Partial<RatingEvidence> = {}): RatingEvidence {
  const session = phase === "initial" ? 4 : phase === "middle" ? 8 : phase === "ending" ? 15 : null;
  return {
    ratingId: id("rating"),
    recordingId: id("recording"),
    recordingKind: c ? "CASE_SESSION" : "ROLE_PLAY",
    caseId: c?.id ?? null,
    sessionNumber: c ? session : null,
    phase: c ? phase : null,
    frameworkId: "dit-competence",
    frameworkVersion: 1,
    competent: true,
    mean: 3.5,
    finalizedAt: d("2027-03-01"),
    releasedAt: null,
    hash: id("rating-hash"),
    ...over,
  };
}

function supervision(
  c: CaseEvidence,
  heldOn: string,
  minutes: number,
  status: SupervisionEvidence["status"] = "CONFIRMED",
): SupervisionEvidence {
  return { id: id("sup"), caseId: c.id, heldOn: d(heldOn), minutes, status, hash: id("sup-hash") };
}

function study(over: Partial<CaseStudyEvidence> = {}): CaseStudyEvidence {
  return {
    id: id("cs"),
    title: "My case study",
    caseId: null,
    status: "SUBMITTED",
    submittedAt: d("2027-04-01"),
    sha256: "ab".repeat(32),
    mark: null,
    ...over,
  };
}

function passMark(roles: ("TRAINER" | "ADMIN")[] = ["TRAINER"], markedAt = "2027-04-20"): CaseStudyEvidence["mark"] {
  return { id: id("mark"), markerId: "trainer", markerRoles: roles, outcome: "PASS", markedAt: d(markedAt), hash: id("mark-hash") };
}

function emptyEvidence(): PathwayEvidence {
  return {
    traineeId: "trainee",
    titles: { modules: { "m-one": "Module one", "m-two": "Module two" }, quizzes: { "q-one": "Quiz one", "q-two": "Quiz two" } },
    modules: [],
    quizAttempts: [],
    ratings: [],
    cases: [],
    supervision: [],
    caseStudies: [],
  };
}

/** Evidence that meets every step. */
function completeEvidence(): PathwayEvidence {
  const a = caseEv("A-0001", "2026-11-01", "2027-03-01");
  const b = caseEv("B-0002", "2026-11-15", "2027-03-20");
  return {
    ...emptyEvidence(),
    modules: [
      { progressId: "p1", moduleId: "m-one", completedAt: d("2026-09-01"), completedVersion: 2, hash: "hm1" },
      { progressId: "p2", moduleId: "m-two", completedAt: d("2026-10-01"), completedVersion: 2, hash: "hm2" },
    ],
    quizAttempts: [
      {
        id: "qa1",
        quizId: "q-one",
        quizVersion: 1,
        status: "COMPLETE",
        submittedAt: d("2026-09-02"),
        percent: 80,
        passed: true,
        hash: "hq1",
      },
      {
        id: "qa2",
        quizId: "q-two",
        quizVersion: 1,
        status: "COMPLETE",
        submittedAt: d("2026-10-02"),
        percent: 90,
        passed: true,
        hash: "hq2",
      },
    ],
    ratings: [
      rating(null, null, { finalizedAt: d("2026-10-20") }),
      rating(a, "initial"),
      rating(a, "middle"),
      rating(b, "initial"),
      rating(b, "ending"),
    ],
    cases: [a, b],
    supervision: [supervision(a, "2026-12-01", 480), supervision(b, "2026-12-08", 480)],
    caseStudies: [study({ status: "PASSED", mark: passMark() })],
  };
}

function step(evidence: PathwayEvidence, stepId: string, pathway: Pathway = PATHWAY, now: Date = NOW): StepEvaluation {
  const found = evaluatePathway(pathway, evidence, now).steps.find((s) => s.id === stepId);
  if (!found) throw new Error(`no step ${stepId}`);
  return found;
}

function withStep(stepId: string, change: Record<string, unknown>): Pathway {
  const raw = rawPathway();
  raw.steps = (raw.steps as Record<string, unknown>[]).map((s) => (s.id === stepId ? { ...s, ...change } : s));
  return parsePathway(raw);
}

describe("the pathway file format", () => {
  it("accepts a pathway with every step type and keeps its numbers as data", () => {
    expect(PATHWAY.steps.map((s) => s.type)).toEqual([
      "modules",
      "quizzes",
      "role-play",
      "concurrent-cases",
      "supervision-hours",
      "case-recordings",
      "case-study",
      "time-limit",
      "time-limit",
    ]);
    expect(PATHWAY.certificate.validityMonths).toBeNull();
  });

  it("lists every problem at once, each with its path", () => {
    const raw = rawPathway();
    const steps = raw.steps as Record<string, unknown>[];
    steps[0] = { ...steps[0], id: "Not Kebab" };
    steps[1] = { ...steps[1], id: "quizzes", type: "essays" };
    steps[4] = { ...steps[4], hours: -3 };
    steps[5] = { ...steps[5], concurrentWith: "supervision" };
    steps[7] = { ...steps[7], from: { steps: ["no-such-step"], label: "x y z" } };
    steps[8] = { ...steps[8], to: { steps: ["started-in-time"], label: "x y z" } };
    raw.certificate = { ...(raw.certificate as object), validityMonths: 0 };
    raw.extra = true;
    let error: unknown;
    try {
      parsePathway(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PathwayError);
    const problems = (error as PathwayError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^steps\.0\.id: use lower-case kebab-case/),
        expect.stringMatching(/^steps\.1\.type: type is one of modules, quizzes/),
        expect.stringMatching(/^steps\.4\.hours: /),
        expect.stringMatching(/^certificate\.validityMonths: /),
        expect.stringMatching(/^\(pathway\): .*extra|^: .*extra|extra/),
      ]),
    );
    // Cross-references are checked once the shapes are right.
    const cross = rawPathway();
    const s2 = cross.steps as Record<string, unknown>[];
    s2[1] = { ...s2[1], id: "modules" };
    s2[5] = { ...s2[5], concurrentWith: "supervision" };
    s2[7] = { ...s2[7], from: { steps: ["no-such-step"], label: "x y z" } };
    s2[8] = { ...s2[8], to: { steps: ["started-in-time"], label: "x y z" } };
    expect(() => parsePathway(cross)).toThrow(PathwayError);
    try {
      parsePathway(cross);
    } catch (e) {
      expect((e as PathwayError).problems).toEqual([
        'steps.1.id: step id "modules" is used twice',
        'steps.5.concurrentWith: "supervision" is not a concurrent-cases step of this pathway',
        'steps.7.from.steps: no step "no-such-step" in this pathway',
        'steps.8.to.steps: "started-in-time" is a time limit: name the steps it measures',
      ]);
    }
  });

  it("needs a certificate block with renewal data, and a certainty mark on every step", () => {
    const raw = rawPathway();
    delete (raw.certificate as Record<string, unknown>).renewal;
    (raw.steps as Record<string, unknown>[])[2] = { ...(raw.steps as Record<string, unknown>[])[2], certainty: "maybe" };
    expect(() => parsePathway(raw)).toThrow(
      /certificate\.renewal[\s\S]*steps\.2\.certainty: certainty is S, P or \?|steps\.2\.certainty[\s\S]*certificate\.renewal/,
    );
  });
});

describe("step: modules", () => {
  it("is met when every listed module is completed, at the latest completion", () => {
    const s = step(completeEvidence(), "modules");
    expect(s.state).toBe("met");
    expect(s.metAt).toEqual(d("2026-10-01"));
    expect(s.evidence.map((e) => [e.kind, e.id, e.hash])).toEqual([
      ["module", "p1", "hm1"],
      ["module", "p2", "hm2"],
    ]);
  });

  it("names each module still to complete; a started module does not count", () => {
    const ev = completeEvidence();
    ev.modules = [{ progressId: "p1", moduleId: "m-one", completedAt: null, completedVersion: null, hash: "x" }];
    const s = step(ev, "modules");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Complete the module “Module one”.", "Complete the module “Module two”."]);
    expect(s.metAt).toBeNull();
  });
});

describe("step: quizzes", () => {
  it("counts the first passing, complete attempt of each quiz", () => {
    const ev = completeEvidence();
    ev.quizAttempts = [
      ...ev.quizAttempts,
      {
        id: "qa0",
        quizId: "q-one",
        quizVersion: 1,
        status: "COMPLETE",
        submittedAt: d("2026-08-01"),
        percent: 70,
        passed: true,
        hash: "hq0",
      },
    ];
    const s = step(ev, "quizzes");
    expect(s.state).toBe("met");
    expect(s.evidence.map((e) => e.id)).toEqual(["qa0", "qa2"]);
    expect(s.metAt).toEqual(d("2026-10-02"));
  });

  it("does not count a failed attempt or one awaiting marking, and says which is waiting", () => {
    const ev = completeEvidence();
    ev.quizAttempts = [
      { id: "f", quizId: "q-one", quizVersion: 1, status: "COMPLETE", submittedAt: d("2026-09-02"), percent: 40, passed: false, hash: "x" },
      {
        id: "w",
        quizId: "q-two",
        quizVersion: 1,
        status: "AWAITING_MARKING",
        submittedAt: d("2026-09-03"),
        percent: null,
        passed: null,
        hash: "y",
      },
    ];
    const s = step(ev, "quizzes");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Pass the quiz “Quiz one”.", "Pass the quiz “Quiz two” (an attempt is awaiting marking)."]);
  });
});

describe("step: role-play", () => {
  it("is met by a role-play rated competent; case-session ratings do not count", () => {
    const ev = completeEvidence();
    expect(step(ev, "role-play").state).toBe("met");
    ev.ratings = ev.ratings.filter((r) => r.recordingKind === "CASE_SESSION");
    const s = step(ev, "role-play");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Upload a role-play recording and have it rated competent."]);
  });

  it("a role-play rated not yet competent asks for another", () => {
    const ev = emptyEvidence();
    ev.ratings = [rating(null, null, { competent: false, finalizedAt: d("2027-01-10") })];
    const s = step(ev, "role-play");
    expect(s.state).toBe("not-yet");
    expect(s.missing[0]).toMatch(/rated not yet competent \(2027-01-10\): record another/);
    expect(s.evidence).toHaveLength(1);
  });

  it("counts only ratings with the framework the step names", () => {
    const ev = emptyEvidence();
    ev.ratings = [rating(null, null, { frameworkId: "other-scale" })];
    expect(step(ev, "role-play").state).toBe("met");
    expect(step(ev, "role-play", withStep("role-play", { frameworkId: "dit-competence" })).state).toBe("not-yet");
  });
});

describe("step: concurrent cases", () => {
  it("needs two cases open at the same time for the minimum overlap, and is met when the overlap reached it", () => {
    const a = caseEv("A-0001", "2027-01-01", "2027-04-01");
    const b = caseEv("B-0002", "2027-02-01", "2027-05-01");
    const ev = { ...emptyEvidence(), cases: [a, b] };
    const s = step(ev, "concurrent");
    expect(s.state).toBe("met");
    expect(s.metAt).toEqual(new Date(d("2027-02-01").getTime() + 28 * DAY));
    expect(s.evidence.map((e) => e.id)).toEqual([a.id, b.id]);
  });

  it("the overlap boundary: exactly the minimum is met, a millisecond less is not", () => {
    const a = caseEv("A-0001", "2027-01-01", "2027-01-29");
    const b = caseEv("B-0002", "2027-01-01", "2027-03-01");
    expect(step({ ...emptyEvidence(), cases: [a, b] }, "concurrent").state).toBe("met");
    const short = { ...a, closedOn: new Date(d("2027-01-29").getTime() - 1) };
    const s = step({ ...emptyEvidence(), cases: [short, b] }, "concurrent");
    expect(s.state).toBe("not-yet");
    expect(s.missing[0]).toMatch(
      /have been open together for 27 days; the pathway needs 2 cases open at the same time for at least 28 days\.$/,
    );
  });

  it("cases one after the other are not concurrent", () => {
    const a = caseEv("A-0001", "2026-01-01", "2026-04-01");
    const b = caseEv("B-0002", "2026-05-01", "2026-08-01");
    const s = step({ ...emptyEvidence(), cases: [a, b] }, "concurrent");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual([
      "Your cases have not been open at the same time: the pathway needs 2 cases open at the same time for at least 28 days.",
    ]);
  });

  it("an open case runs until now; cases still open together say they will count", () => {
    const a = caseEv("A-0001", "2027-05-20");
    const b = caseEv("B-0002", "2027-05-10");
    const s = step({ ...emptyEvidence(), cases: [a, b] }, "concurrent");
    expect(s.state).toBe("not-yet");
    expect(s.missing[0]).toMatch(/open together for 12 days.*\(they will count once they have run together long enough\)/);
    expect(step({ ...emptyEvidence(), cases: [a, b] }, "concurrent", PATHWAY, new Date(d("2027-06-17").getTime())).state).toBe("met");
  });

  it("withdrawn cases do not count, and fewer cases than needed says how many more", () => {
    const a = caseEv("A-0001", "2027-01-01");
    const w = caseEv("W-0003", "2027-01-01", "2027-03-01", "WITHDRAWN");
    const s = step({ ...emptyEvidence(), cases: [a, w] }, "concurrent");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual([
      "Register another 1 supervised case: the pathway needs 2 cases open at the same time for at least 28 days (withdrawn cases do not count).",
    ]);
    expect(step(emptyEvidence(), "concurrent").missing[0]).toMatch(/^Register 2 supervised cases:/);
  });

  it("finds a concurrent pair among three cases", () => {
    const a = caseEv("A-0001", "2025-01-01", "2025-02-01");
    const b = caseEv("B-0002", "2027-01-01", "2027-04-01");
    const c = caseEv("C-0003", "2027-02-01", "2027-05-01");
    const s = step({ ...emptyEvidence(), cases: [a, b, c] }, "concurrent");
    expect(s.state).toBe("met");
    expect(s.evidence.map((e) => e.id)).toEqual([b.id, c.id]);
  });
});

describe("step: supervision hours", () => {
  it("counts confirmed minutes only, met on the day the total reached the hours", () => {
    const a = caseEv("A-0001", "2027-01-01");
    const ev = {
      ...emptyEvidence(),
      cases: [a],
      supervision: [
        supervision(a, "2027-01-10", 480),
        supervision(a, "2027-01-20", 300),
        supervision(a, "2027-02-01", 180),
        supervision(a, "2027-03-01", 60),
      ],
    };
    const s = step(ev, "supervision");
    expect(s.state).toBe("met");
    expect(s.metAt).toEqual(d("2027-02-01"));
    expect(s.summary).toBe("17 h of 16 h confirmed.");
    expect(s.evidence).toHaveLength(4);
  });

  it("the boundary: 16 h is met, 15 h 59 min is not; pending and queried minutes are named but not counted", () => {
    const a = caseEv("A-0001", "2027-01-01");
    expect(step({ ...emptyEvidence(), cases: [a], supervision: [supervision(a, "2027-01-10", 960)] }, "supervision").state).toBe("met");
    const s = step(
      {
        ...emptyEvidence(),
        cases: [a],
        supervision: [
          supervision(a, "2027-01-10", 959),
          supervision(a, "2027-01-11", 60, "PENDING"),
          supervision(a, "2027-01-12", 30, "QUERIED"),
        ],
      },
      "supervision",
    );
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["1 min more confirmed supervision (1 h awaiting your supervisor's confirmation, 30 min queried)."]);
    expect(s.evidence).toHaveLength(1);
  });
});

describe("step: four recordings across the two cases", () => {
  const a = caseEv("A-0001", "2026-11-01", "2027-03-01");
  const b = caseEv("B-0002", "2026-11-15", "2027-03-20");
  const base = () => ({ ...emptyEvidence(), cases: [a, b] });

  it("IPAF + middle from one case and IPAF + ending from the other", () => {
    const ev = { ...base(), ratings: [rating(a, "initial"), rating(a, "middle"), rating(b, "initial"), rating(b, "ending")] };
    const s = step(ev, "recordings");
    expect(s.state).toBe("met");
    expect(s.evidence.map((e) => e.kind)).toEqual(["rating", "rating", "rating", "rating"]);
  });

  it("either way round: the first case's ending and the second's middle", () => {
    const ev = { ...base(), ratings: [rating(a, "initial"), rating(a, "ending"), rating(b, "initial"), rating(b, "middle")] };
    const s = step(ev, "recordings");
    expect(s.state).toBe("met");
    expect(s.metAt).toEqual(d("2027-03-01"));
  });

  it("four recordings from one case are not enough; what is missing names the other case", () => {
    const ev = { ...base(), ratings: [rating(a, "initial"), rating(a, "middle"), rating(a, "ending"), rating(a, "initial")] };
    const s = step(ev, "recordings");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual([
      "The IPAF session (initial phase) and an ending-phase session of another case (open at the same time as the other cases), rated competent.",
    ]);
  });

  it("both middle and ending from the same case, with only the IPAF session from the other, leaves one slot", () => {
    const ev = { ...base(), ratings: [rating(a, "initial"), rating(a, "middle"), rating(a, "ending"), rating(b, "initial")] };
    const s = step(ev, "recordings");
    expect(s.state).toBe("not-yet");
    expect(s.evidence).toHaveLength(3);
    expect(s.missing).toHaveLength(1);
    expect(s.missing[0]).toMatch(/of case (A-0001|B-0002), rated competent\.$/);
  });

  it("a rating that is not competent does not fill a slot", () => {
    const ev = {
      ...base(),
      ratings: [rating(a, "initial"), rating(a, "middle"), rating(b, "initial"), rating(b, "ending", { competent: false })],
    };
    const s = step(ev, "recordings");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["An ending-phase session of case B-0002, rated competent."]);
  });

  it("the two cases must be the concurrent ones (concurrentWith)", () => {
    const early = caseEv("E-0005", "2024-01-01", "2024-04-01");
    const ev = {
      ...emptyEvidence(),
      cases: [early, b],
      ratings: [rating(early, "initial"), rating(early, "middle"), rating(b, "initial"), rating(b, "ending")],
    };
    expect(step(ev, "recordings").state).toBe("not-yet");
    const free = withStep("recordings", { concurrentWith: undefined });
    expect(step(ev, "recordings", free).state).toBe("met");
  });

  it("with nothing rated, asks for both cases' recordings", () => {
    const s = step(base(), "recordings");
    expect(s.missing).toEqual([
      "The IPAF session (initial phase) and a middle-phase session of a case (open at the same time as the other cases), rated competent.",
      "The IPAF session (initial phase) and an ending-phase session of a second case (open at the same time as the other cases), rated competent.",
    ]);
  });
});

describe("step: case study", () => {
  it("no case study, one awaiting marking, one referred: each says what to do", () => {
    expect(step(emptyEvidence(), "case-study").missing).toEqual(["Submit your written case study."]);
    expect(step({ ...emptyEvidence(), caseStudies: [study()] }, "case-study").missing).toEqual([
      "Your case study “My case study” is awaiting marking by a trainer.",
    ]);
    const referred = study({ status: "REFERRED", mark: { ...(passMark() as NonNullable<CaseStudyEvidence["mark"]>), outcome: "REFER" } });
    const s = step({ ...emptyEvidence(), caseStudies: [referred] }, "case-study");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Your case study was referred: read the feedback and submit a revised case study."]);
    expect(s.evidence.map((e) => e.kind)).toEqual(["case-study-mark"]);
  });

  it("is met by a pass from a trainer, also after an earlier referral", () => {
    const referred = study({
      status: "REFERRED",
      submittedAt: d("2027-01-01"),
      mark: { ...(passMark() as NonNullable<CaseStudyEvidence["mark"]>), outcome: "REFER" },
    });
    const passed = study({ status: "PASSED", submittedAt: d("2027-03-01"), mark: passMark(["TRAINER"], "2027-03-15") });
    const s = step({ ...emptyEvidence(), caseStudies: [referred, passed] }, "case-study");
    expect(s.state).toBe("met");
    expect(s.metAt).toEqual(d("2027-03-15"));
    expect(s.evidence).toEqual([
      { kind: "case-study-mark", id: passed.mark?.id, hash: passed.mark?.hash, label: "Case study “My case study”: passed 2027-03-15" },
    ]);
  });

  it("a pass from someone who is not a trainer does not count", () => {
    const s = step({ ...emptyEvidence(), caseStudies: [study({ status: "PASSED", mark: passMark(["ADMIN"]) })] }, "case-study");
    expect(s.state).toBe("not-yet");
    expect(s.missing[0]).toMatch(/A pass from a trainer/);
  });
});

describe("step: time limits", () => {
  const course = (completedAt: string): PathwayEvidence["modules"] => [
    { progressId: "p1", moduleId: "m-one", completedAt: new Date(d(completedAt).getTime() - 30 * DAY), completedVersion: 1, hash: "a" },
    { progressId: "p2", moduleId: "m-two", completedAt: d(completedAt), completedVersion: 1, hash: "b" },
  ];

  it("before the clock starts, it is not yet met and says what must happen within how long", () => {
    const s = step(emptyEvidence(), "started-in-time");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Starting supervised practice within 6 months of completing the course."]);
  });

  it("once the course is complete, gives the deadline; in time it is met", () => {
    const ev = { ...emptyEvidence(), modules: course("2027-03-15") };
    const s = step(ev, "started-in-time");
    expect(s.state).toBe("not-yet");
    expect(s.missing).toEqual(["Starting supervised practice by 2027-09-15 (6 months after completing the course)."]);
    const started = { ...ev, cases: [caseEv("A-0001", "2027-04-01")] };
    const met = step(started, "started-in-time");
    expect(met.state).toBe("met");
    expect(met.summary).toBe("Starting supervised practice (2027-04-01) came within 6 months of completing the course (2027-03-15).");
  });

  it("exactly at the deadline is in time; a day later is blocked", () => {
    const ev = { ...emptyEvidence(), modules: course("2026-08-31") };
    // 31 August + 6 months is 28 February (the day clamped to the shorter month).
    expect(addMonths(d("2026-08-31"), 6)).toEqual(d("2027-02-28"));
    expect(step({ ...ev, cases: [caseEv("A-0001", "2027-02-28")] }, "started-in-time").state).toBe("met");
    const late = step({ ...ev, cases: [caseEv("A-0001", "2027-03-01")] }, "started-in-time");
    expect(late.state).toBe("blocked");
    expect(late.missing).toEqual(["A refresher is needed."]);
    expect(late.summary).toMatch(/came more than 6 months after completing the course \(2026-08-31; the deadline was 2027-02-28\)/);
  });

  it("a deadline that passes with nothing done blocks the step; the rest of the pathway can then not complete", () => {
    const ev = { ...emptyEvidence(), modules: course("2026-01-10") };
    const s = step(ev, "started-in-time");
    expect(s.state).toBe("blocked");
    expect(s.summary).toBe(
      "The deadline for starting supervised practice, 6 months after completing the course (2026-01-10), passed on 2026-07-10.",
    );
    const full = completeEvidence();
    full.modules = course("2024-01-10");
    const evaluation = evaluatePathway(PATHWAY, full, NOW);
    expect(evaluation.steps.find((x) => x.id === "started-in-time")?.state).toBe("blocked");
    expect(evaluation.complete).toBe(false);
  });

  it("a case started before the course ended is within the limit", () => {
    const ev = { ...emptyEvidence(), modules: course("2027-03-15"), cases: [caseEv("A-0001", "2027-01-01")] };
    expect(step(ev, "started-in-time").state).toBe("met");
    const early = { ...emptyEvidence(), cases: [caseEv("A-0001", "2027-01-01")] };
    expect(step(early, "started-in-time").summary).toBe(
      "Starting supervised practice (2027-01-01) came before completing the course, so it is within the limit.",
    );
  });

  it("supervision hours completed more than 36 months after the course are blocked", () => {
    const a = caseEv("A-0001", "2026-02-01");
    const ev = { ...emptyEvidence(), modules: course("2024-01-01"), cases: [a], supervision: [supervision(a, "2027-01-02", 960)] };
    expect(step(ev, "finished-in-time").state).toBe("blocked");
    const inTime = { ...ev, supervision: [supervision(a, "2027-01-01", 960)] };
    expect(step(inTime, "finished-in-time").state).toBe("met");
  });
});

describe("the whole pathway", () => {
  it("is complete when every step is met, and its evidence is every met step's refs with hashes", () => {
    const evaluation = evaluatePathway(PATHWAY, completeEvidence(), NOW);
    expect(evaluation.steps.map((s) => [s.id, s.state])).toEqual(PATHWAY.steps.map((s) => [s.id, "met"]));
    expect(evaluation.complete).toBe(true);
    expect(evaluation.pathwayId).toBe("test-pathway");
    const refs = evidenceOf(evaluation);
    expect(refs.filter((r) => r.kind === "rating")).toHaveLength(5);
    expect(refs.filter((r) => r.kind === "supervision")).toHaveLength(2);
    expect(refs.every((r) => typeof r.hash === "string" && r.hash.length > 0)).toBe(true);
  });

  it("one missing piece makes it incomplete and the checklist view links only what the viewer may open", () => {
    const ev = completeEvidence();
    ev.caseStudies = [];
    const evaluation = evaluatePathway(PATHWAY, ev, NOW);
    expect(evaluation.complete).toBe(false);
    const own = checklistView(
      PATHWAY,
      evaluation,
      ev,
      { owner: true, admin: false, cohortTrainer: false, supervisedCaseIds: new Set() },
      { "m-one": "one" },
    );
    expect(own.met).toBe(PATHWAY.steps.length - 1);
    const modules = own.steps.find((s) => s.id === "modules");
    expect(modules?.evidence.map((e) => e.href)).toEqual(["/modules/one", null]);
    const ratingLinks = own.steps.find((s) => s.id === "recordings")?.evidence.map((e) => e.href) ?? [];
    expect(ratingLinks.every((h) => h?.startsWith("/recordings/"))).toBe(true);
    const other = checklistView(
      PATHWAY,
      evaluation,
      ev,
      { owner: false, admin: false, cohortTrainer: true, supervisedCaseIds: new Set() },
      {},
    );
    expect(other.steps.find((s) => s.id === "recordings")?.evidence.map((e) => e.href)).toEqual([null, null, null, null]);
    expect(other.steps.find((s) => s.id === "quizzes")?.evidence.map((e) => e.href)).toEqual(["/marking/qa1", "/marking/qa2"]);
    const supervisor = checklistView(
      PATHWAY,
      evaluation,
      ev,
      { owner: false, admin: false, cohortTrainer: false, supervisedCaseIds: new Set([ev.cases[0]?.id as string]) },
      {},
    );
    expect(supervisor.steps.find((s) => s.id === "concurrent")?.evidence.map((e) => e.href)).toEqual([`/cases/${ev.cases[0]?.id}`, null]);
  });
});

describe("evidence hashes", () => {
  it("canonical JSON sorts keys, writes dates as ISO strings and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: undefined, d: d("2027-01-02") })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":"2027-01-02T00:00:00.000Z"}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ m: new Map() as unknown as string })).toThrow(TypeError);
  });

  it("the same facts give the same hash whatever the key order; any change gives another", () => {
    const h = evidenceHash("supervision-entry", { id: "e1", minutes: 60, heldOn: d("2027-01-01") });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(evidenceHash("supervision-entry", { heldOn: d("2027-01-01"), minutes: 60, id: "e1" })).toBe(h);
    expect(evidenceHash("supervision-entry", { id: "e1", minutes: 61, heldOn: d("2027-01-01") })).not.toBe(h);
    expect(evidenceHash("quiz-attempt", { id: "e1", minutes: 60, heldOn: d("2027-01-01") })).not.toBe(h);
  });
});
