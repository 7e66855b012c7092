import { describe, expect, it } from "vitest";
import { EmailSchema, NewPasswordSchema, RolesSchema } from "#app/domain/account-rules";
import { CohortSchema, toDateInput } from "#app/domain/cohort-rules";
import { formToObject, parseWith } from "#app/forms/parse";

describe("account rules", () => {
  it("normalises email addresses", () => {
    expect(EmailSchema.parse("  Someone@Example.ORG ")).toBe("someone@example.org");
    expect(EmailSchema.safeParse("no-at-sign").success).toBe(false);
  });

  it("wants long passwords typed twice alike", () => {
    expect(parseWith(NewPasswordSchema, { password: "short", confirm: "short" })).toEqual({
      ok: false,
      errors: { password: "Use at least 12 characters" },
    });
    expect(parseWith(NewPasswordSchema, { password: "long enough phrase", confirm: "long enough phrase!" })).toEqual({
      ok: false,
      errors: { confirm: "The two passwords differ" },
    });
    expect(parseWith(NewPasswordSchema, { password: "long enough phrase", confirm: "long enough phrase" }).ok).toBe(true);
  });

  it("accepts only known roles, at least one", () => {
    expect(RolesSchema.safeParse([]).success).toBe(false);
    expect(RolesSchema.safeParse(["ROOT"]).success).toBe(false);
    expect(RolesSchema.parse(["TRAINEE"])).toEqual(["TRAINEE"]);
  });
});

describe("cohort rules", () => {
  it("parses dates as UTC days and keeps the end after the start", () => {
    const ok = CohortSchema.parse({ name: " Spring ", startsOn: "2027-01-11", endsOn: "" });
    expect(ok).toEqual({ name: "Spring", startsOn: new Date("2027-01-11T00:00:00Z"), endsOn: null });
    expect(toDateInput(ok.startsOn)).toBe("2027-01-11");
    expect(parseWith(CohortSchema, { name: "x", startsOn: "2027-02-30x" })).toMatchObject({
      ok: false,
      errors: { startsOn: expect.any(String) },
    });
    expect(parseWith(CohortSchema, { name: "x", startsOn: "2027-02-01", endsOn: "2027-01-01" })).toMatchObject({
      ok: false,
      errors: { endsOn: expect.stringMatching(/before the start/) },
    });
  });
});

describe("form parsing", () => {
  it("collects repeated fields into arrays and drops files", () => {
    const form = new FormData();
    form.append("roles", "A");
    form.append("roles", "B");
    form.append("name", "n");
    form.append("upload", new Blob(["x"]), "x.txt");
    expect(formToObject(form)).toEqual({ roles: ["A", "B"], name: "n" });
    expect(formToObject(new FormData(), ["roles"])).toEqual({ roles: [] });
  });
});
