import { describe, expect, it } from "vitest";
import { parseFramework } from "#app/domain/framework";
import { CommentSchema, parseClock, RatingFormSchema, scoreRows } from "#app/domain/rating-form";
import { finalRatingCanonicalJson, finalRatingHash } from "#app/domain/rating-hash";
import { parseWith } from "#app/forms/parse";

const levels = { 0: "Absent", 1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six" };
const framework = parseFramework({
  id: "unit-framework",
  version: 3,
  title: "Unit framework",
  notice: "A test instrument.",
  scale: { min: 0, max: 6, anchors: { 0: "Absent", 6: "Very high" } },
  domains: [{ id: "core", title: "Core" }],
  items: [
    { id: "alpha", domain: "core", title: "Alpha", description: "A", keyFeatures: ["a"], phases: ["initial", "middle", "ending"], levels },
    { id: "beta", domain: "core", title: "Beta", description: "B", keyFeatures: ["b"], phases: ["initial"], levels },
    { id: "gamma", domain: "core", title: "Gamma", description: "C", keyFeatures: ["c"], phases: ["ending"], levels },
  ],
  rules: {
    competent: { meanAtLeast: 3, noItemBelow: 2 },
    agreement: { itemTolerance: 1 },
    final: { itemScore: "mean-round-down" },
    secondRater: { summative: "all" },
    calibration: { itemTolerance: 1, minItemAgreement: 0.8, mustAgreeOnCompetence: true, recordingsRequired: 2 },
  },
});

describe("m:ss times", () => {
  it("reads m:ss, h:mm:ss and plain seconds", () => {
    expect(parseClock("0:00")).toBe(0);
    expect(parseClock(" 4:05 ")).toBe(245);
    expect(parseClock("12:30")).toBe(750);
    expect(parseClock("1:02:03")).toBe(3723);
    expect(parseClock("75")).toBe(75);
    expect(parseClock("7.5")).toBe(7.5);
  });

  it("refuses what is not a time", () => {
    for (const bad of ["", "1:75", "1:2", "-1:00", "a:bc", "1:60:00", "1::00", "four"]) expect(parseClock(bad), bad).toBeNull();
  });
});

describe("the rating form", () => {
  it("reads a score and a note for each applicable item (the phase's), and the overall feedback", () => {
    const parsed = parseWith(RatingFormSchema(framework, "initial"), {
      "score.alpha": "4",
      "score.beta": "",
      "note.alpha": "  Warm  ",
      "score.gamma": "6",
      overallFeedback: " Good ",
    });
    expect(parsed).toEqual({
      ok: true,
      data: { scores: { alpha: 4, beta: null }, notes: { alpha: "Warm", beta: "" }, overallFeedback: "Good" },
    });
  });

  it("refuses scores off the scale or not whole numbers, as field errors", () => {
    for (const bad of ["7", "-1", "3.5", "x"]) {
      const parsed = parseWith(RatingFormSchema(framework, "initial"), { "score.alpha": bad });
      expect(parsed, bad).toEqual({ ok: false, errors: { "score.alpha": "Choose a score from 0 to 6" } });
    }
  });

  it("a role-play (phase null) is rated on the initial phase's items", () => {
    const parsed = parseWith(RatingFormSchema(framework, null), { "score.alpha": "1", "score.beta": "2" });
    expect(parsed.ok && parsed.data.scores).toEqual({ alpha: 1, beta: 2 });
  });

  it("shows each applicable item's score with its level descriptor", () => {
    expect(
      scoreRows(framework, "ending", [
        { itemId: "alpha", score: 3, note: "n" },
        { itemId: "gamma", score: null },
      ]),
    ).toEqual([
      { itemId: "alpha", title: "Alpha", score: 3, descriptor: "Three", note: "n" },
      { itemId: "gamma", title: "Gamma", score: null, descriptor: null, note: "" },
    ]);
  });
});

describe("a time-stamped comment", () => {
  const schema = CommentSchema(framework, "initial", 90.4);
  it("takes a time within the recording, an applicable item or none, and text", () => {
    expect(parseWith(schema, { at: "1:30", itemId: "beta", body: " Nice " })).toEqual({
      ok: true,
      data: { at: 90, itemId: "beta", body: "Nice" },
    });
    expect(parseWith(schema, { at: "0:05", itemId: "", body: "x" })).toEqual({ ok: true, data: { at: 5, itemId: null, body: "x" } });
  });

  it("names the problem with each field", () => {
    expect(parseWith(schema, { at: "1:32", body: "x" })).toEqual({
      ok: false,
      errors: { at: "That time is after the end of the recording" },
    });
    expect(parseWith(schema, { at: "soon", body: "x" })).toEqual({ ok: false, errors: { at: "Enter the time as m:ss, e.g. 4:05" } });
    expect(parseWith(schema, { at: "0:01", itemId: "gamma", body: "x" })).toEqual({
      ok: false,
      errors: { itemId: "Choose an item of this rating, or none" },
    });
    expect(parseWith(schema, { at: "0:01", body: "  " })).toEqual({ ok: false, errors: { body: "Write the comment" } });
  });
});

describe("the final rating's fingerprint", () => {
  const facts = {
    frameworkId: "dit-competence",
    frameworkVersion: 1,
    scores: { beta: 3, alpha: 4, gamma: null },
    competent: true,
    decidedBy: "DERIVED" as const,
    finalizedAt: new Date("2026-11-20T09:30:00Z"),
  };

  it("is SHA-256 over a canonical JSON: fixed keys, items sorted by id, ISO dates", () => {
    expect(finalRatingCanonicalJson(facts)).toBe(
      '{"frameworkId":"dit-competence","frameworkVersion":1,"items":[["alpha",4],["beta",3],["gamma",null]],"competent":true,"decidedBy":"DERIVED","finalizedAt":"2026-11-20T09:30:00.000Z"}',
    );
    expect(finalRatingHash(facts)).toMatch(/^[0-9a-f]{64}$/);
    expect(finalRatingHash({ ...facts, scores: { gamma: null, alpha: 4, beta: 3 } })).toBe(finalRatingHash(facts));
  });

  it("changes with any score, the outcome, how it was decided, when, or the framework version", () => {
    const base = finalRatingHash(facts);
    for (const changed of [
      { ...facts, scores: { ...facts.scores, beta: 2 } },
      { ...facts, competent: false },
      { ...facts, decidedBy: "MODERATED" as const },
      { ...facts, finalizedAt: new Date("2026-11-20T09:30:01Z") },
      { ...facts, frameworkVersion: 2 },
    ]) {
      expect(finalRatingHash(changed)).not.toBe(base);
    }
  });
});
